import { errors } from '@darkroom/plugin-api';

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;
const base64UrlPattern = /^[A-Za-z0-9_-]*$/;

/** Bytes of a data URI or a bare base64 string. Malformed base64 is an `invalid_image` error, not silently truncated. */
export function decodeInlineImage(value: string): Uint8Array {
  let payload = value;
  if (value.startsWith('data:')) {
    const comma = value.indexOf(',');
    const header = value.slice(0, comma);
    if (comma < 0 || !/;base64$/i.test(header)) throw errors.invalidImage('A data URI must be base64-encoded (data:image/png;base64,...)');
    payload = value.slice(comma + 1);
  }
  payload = payload.replace(/\s+/g, '');
  if (payload.length === 0) throw errors.invalidImage('The image is empty');
  const standard = base64Pattern.test(payload);
  if (!standard && !base64UrlPattern.test(payload)) throw errors.invalidImage('The image is not valid base64');
  if (standard && payload.length % 4 === 1) throw errors.invalidImage('The image is not valid base64 (bad length)');
  return new Uint8Array(Buffer.from(payload, standard ? 'base64' : 'base64url'));
}
