import ipaddr from 'ipaddr.js';

/** Global unicast IPv6 (RFC 4291 §2.4): everything else (::/96 IPv4-compatible, ::/8, 100::/64, …) is not public. */
const globalUnicast = ipaddr.parseCIDR('2000::/3');

/**
 * True only for globally routable unicast addresses. Loopback, private (10/8, 172.16/12, 192.168/16),
 * link-local and cloud metadata (169.254/16, fe80::/10), carrier-grade NAT, unique-local (fc00::/7),
 * multicast, reserved, NAT64/6to4/Teredo (which can embed private IPv4) are all refused; IPv4-mapped
 * IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries; IPv6 outside 2000::/3 (such as
 * the deprecated IPv4-compatible form ::7f00:1 or ::a9fe:a9fe) is refused.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(globalUnicast);
}
