import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import routeTestPlugin from './testing/route-test-plugin.js';
import { chelseaPng, startTestServer, type TestServer } from './testing/test-server.js';

let test: TestServer;
beforeAll(async () => {
  test = await startTestServer({ engine: { plugins: [routeTestPlugin] } });
});
afterAll(() => test.close());

/** JSON text as a client may send it: `\ud800` stays an escape (JSON.stringify would write it the same way). */
const post = (path: string, text: string) => test.call('ann', 'POST', path, text, { 'content-type': 'application/json' });

/** A multipart body by hand, so that a part can name its charset. */
function multipart(parts: Array<{ name: string; body: Buffer; type?: string; filename?: string }>): { body: Uint8Array; type: string } {
  const boundary = 'darkroom-boundary';
  const chunks = parts.flatMap((part) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`),
    part.body,
    Buffer.from('\r\n'),
  ]);
  return { body: new Uint8Array(Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)])), type: `multipart/form-data; boundary=${boundary}` };
}

describe('request bodies with text that is not valid Unicode', () => {
  it('are refused with 400 naming the field, on built-in and plugin routes, in JSON and in form fields; nothing is stored', async () => {
    const refusals: Array<[Response, string]> = [
      [await post('/api/v1/chat/sessions', '{"title":"a\\ud800b"}'), 'body.title'],
      [await post('/api/v1/conversations', '{"title":"rings","description":"x\\udc8d"}'), 'body.description'],
      [await post('/v1/gallery', JSON.stringify({ image: `data:image/png;base64,${chelseaPng.toString('base64')}` }).replace(/}$/, ',"metadata":{"tags":["ok","\\ud83d"]}}')), 'body.metadata.tags[1]'],
    ];
    const form = multipart([
      { name: 'image', body: chelseaPng, type: 'image/png', filename: 'chelsea.png' },
      // A form field may name its charset: UTF-16 can carry a lone surrogate, as can JSON in a field.
      { name: 'refined_prompt', body: Buffer.from([0x00, 0xd8, 0x61, 0x00]), type: 'text/plain; charset=utf-16le' },
    ]);
    refusals.push([await test.call('ann', 'POST', '/v1/gallery', form.body, { 'content-type': form.type }), 'body.refined_prompt']);
    const jsonField = multipart([{ name: 'image', body: chelseaPng, type: 'image/png', filename: 'chelsea.png' }, { name: 'metadata', body: Buffer.from('{"note":"\\udfff"}') }]);
    refusals.push([await test.call('ann', 'POST', '/v1/gallery', jsonField.body, { 'content-type': jsonField.type }), 'body.metadata.note']);

    for (const [response, field] of refusals) {
      expect(response.status, field).toBe(400);
      const { error } = await response.json();
      expect(error).toMatchObject({ code: 'invalid_input', details: { field } });
      expect(error.message).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')} holds an unpaired UTF-16 surrogate .*remove it, or send the whole character`));
    }
    expect((await test.engine.chat.listSessions('ann')).sessions).toEqual([]);
    expect((await test.engine.gallery.list('ann')).items).toEqual([]);
    // A whole pair is one character, kept as sent.
    const created = await post('/api/v1/chat/sessions', '{"title":"\\ud83d\\udc8d rings"}');
    expect((await created.json()).title).toBe('💍 rings');
  });
});
