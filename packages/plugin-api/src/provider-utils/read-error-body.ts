import { cutText, textLength } from '../spec/text-length.js';

/** What a provider's error body says, whatever its envelope. */
export interface ErrorBodySummary {
  /** The explanation, for a message: at most 300 characters, white space folded. */
  message?: string;
  /** The provider's own code, e.g. `RESOURCE_EXHAUSTED`, `invalidApiKey`, `rate_limit_exceeded`. */
  code?: string;
  /** The parameter it blames, e.g. `width`. */
  parameter?: string;
}

const maxMessageLength = 300;

const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const folded = value.replace(/\s+/g, ' ').trim();
  if (folded === '') return undefined;
  return textLength(folded) > maxMessageLength ? `${cutText(folded, maxMessageLength - 1)}…` : folded;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The parsed JSON, or the text itself when it is not JSON. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function summarise(entry: Record<string, unknown>): ErrorBodySummary {
  const message = text(entry.message) ?? text(entry.detail) ?? text(entry.error_description);
  const code = text(entry.status) ?? text(entry.code) ?? text(entry.type);
  const parameter = text(entry.parameter) ?? text(entry.param);
  return { ...(message ? { message } : {}), ...(code ? { code } : {}), ...(parameter ? { parameter } : {}) };
}

/**
 * Reads the explanation out of a provider's error body, parsed or as text: Google's and OpenAI's
 * `{"error":{message, status|code|type, param}}`, Runware's `{"errors":[{message, code, parameter}]}`
 * (the first entry), a bare `{message, code}` or `{"error":"text"}`, or a body that is not JSON
 * (its text, shortened, becomes the message). Never throws; an empty body gives `{}`.
 *
 * @example
 * readErrorBody('{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}');
 * // { message: 'Quota exceeded', code: 'RESOURCE_EXHAUSTED' }
 */
export function readErrorBody(body: unknown): ErrorBodySummary {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  if (typeof parsed === 'string') {
    const message = text(parsed);
    return message ? { message } : {};
  }
  if (!isRecord(parsed)) return {};
  const { error, errors } = parsed;
  if (typeof error === 'string') return summarise({ message: error, ...parsed });
  return summarise(isRecord(error) ? error : Array.isArray(errors) && isRecord(errors[0]) ? errors[0] : parsed);
}
