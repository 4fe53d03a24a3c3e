import ipaddr from 'ipaddr.js';

/**
 * True only for globally routable unicast addresses. Loopback, private (10/8, 172.16/12, 192.168/16),
 * link-local and cloud metadata (169.254/16, fe80::/10), carrier-grade NAT, unique-local (fc00::/7),
 * multicast, reserved, NAT64/6to4/Teredo (which can embed private IPv4) are all refused; IPv4-mapped
 * IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}
