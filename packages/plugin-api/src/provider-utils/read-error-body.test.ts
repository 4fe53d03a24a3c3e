import { describe, expect, it } from 'vitest';
import { readErrorBody } from './read-error-body.js';

describe('readErrorBody', () => {
  it.each([
    ['Google', { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }, { message: 'Quota exceeded', code: 'RESOURCE_EXHAUSTED' }],
    ['OpenAI', { error: { message: 'Bad model', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } }, { message: 'Bad model', code: 'model_not_found', parameter: 'model' }],
    ['OpenAI without a code', { error: { message: 'nope', type: 'error', code: null } }, { message: 'nope', code: 'error' }],
    ['Runware', { errors: [{ code: 'invalidWidth', message: 'Invalid width', parameter: 'width' }, { message: 'second' }] }, { message: 'Invalid width', code: 'invalidWidth', parameter: 'width' }],
    ['a bare message', { message: 'Not allowed', code: 'forbidden' }, { message: 'Not allowed', code: 'forbidden' }],
    ['an error string', { error: 'Bad Request' }, { message: 'Bad Request' }],
    ['an error string beside a message', { error: 'Bad Request', message: 'width must be even' }, { message: 'width must be even' }],
    ['FastAPI', { detail: 'Item not found' }, { message: 'Item not found' }],
    ['JSON text', '{"error":{"message":"from text"}}', { message: 'from text' }],
    ['text that is not JSON', '  upstream\n connect error  ', { message: 'upstream connect error' }],
    ['an empty text', '', {}],
    ['nothing', undefined, {}],
    ['a number', 42, {}],
    ['an empty errors list', { errors: [] }, {}],
  ])('reads %s', (_, body, expected) => {
    expect(readErrorBody(body)).toEqual(expected);
  });

  it('shortens a long message to 300 characters', () => {
    const { message } = readErrorBody(`<html>${'x'.repeat(5_000)}</html>`);
    expect(message).toHaveLength(300);
    expect(message!.endsWith('…')).toBe(true);
  });
});
