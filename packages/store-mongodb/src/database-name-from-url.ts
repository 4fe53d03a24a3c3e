import { errors } from '@darkroom/core';

/**
 * The database a MongoDB connection string names in its path (`mongodb://host/darkroom?…` →
 * `darkroom`), or undefined when it names none.
 *
 * @example
 * databaseNameFromUrl('mongodb://user:secret@a:27017,b:27017/darkroom?replicaSet=rs0'); // 'darkroom'
 * databaseNameFromUrl('mongodb+srv://cluster.example.net/'); // undefined
 */
export function databaseNameFromUrl(url: string): string | undefined {
  const scheme = url.indexOf('://');
  if (scheme < 0) return undefined;
  const rest = url.slice(scheme + 3);
  const slash = rest.indexOf('/');
  if (slash < 0) return undefined;
  const path = rest.slice(slash + 1).split('?')[0]!;
  let name: string;
  try {
    name = decodeURIComponent(path);
  } catch {
    throw errors.configuration(`The MongoDB connection string's database name ${JSON.stringify(path)} has a malformed %-escape; write it as the name itself or %XX escapes of UTF-8 bytes`);
  }
  return name.length > 0 ? name : undefined;
}
