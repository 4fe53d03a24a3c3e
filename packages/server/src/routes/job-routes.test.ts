import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chelseaDataUri, startTestServer, waitForMessage, type TestServer } from '../testing/test-server.js';

let test: TestServer;
beforeAll(async () => {
  test = await startTestServer();
});
afterAll(() => test.close());

const list = async (user: 'ann' | 'bob', query = '') => {
  const response = await test.call(user, 'GET', `/v1/jobs${query}`);
  return { status: response.status, body: await response.json() };
};

describe('GET /v1/jobs', () => {
  it('lists the caller\'s jobs only, newest first, a page at a time, filtered by state and kind', async () => {
    const submitted: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const accepted = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { prefer: 'respond-async' })).json();
      submitted.push(accepted.job_id);
    }
    const session = (await (await test.call('ann', 'POST', '/api/v1/chat/sessions', {})).json()).session_id;
    const sent = await (await test.call('ann', 'POST', `/api/v1/chat/sessions/${session}/messages`, { content: 'enhance this photo', image: chelseaDataUri })).json();
    await waitForMessage(test, 'ann', session, sent.message_id);
    for (const id of submitted) await test.engine.jobs.wait('ann', id);

    const first = await list('ann', '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.jobs.map((job: { id: string }) => job.id)).toEqual([sent.job_id, submitted[2]]);
    expect(first.body.jobs[0]).toMatchObject({ kind: 'chat', state: 'succeeded', progress: 100 });
    expect(first.body.jobs[0].steps).toBeUndefined();
    const second = await list('ann', `?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ jobs: [expect.objectContaining({ id: submitted[1] }), expect.objectContaining({ id: submitted[0] })], next_cursor: null });
    expect(second.body.jobs[0].result.images[0].url).toMatch(/^\/v1\/assets\//);
    expect((await list('ann', '?kind=chat')).body.jobs.map((job: { id: string }) => job.id)).toEqual([sent.job_id]);
    expect((await list('ann', '?kind=feature&state=succeeded')).body.jobs).toHaveLength(3);
    expect((await list('ann', '?state=queued')).body.jobs).toEqual([]);
    expect(await list('bob')).toEqual({ status: 200, body: { jobs: [], next_cursor: null } });
  });

  it('refuses a cursor that is not one of the caller\'s jobs, and bad filters, saying what to send', async () => {
    const accepted = await (await test.call('ann', 'POST', '/v1/features/enhance', { image: chelseaDataUri }, { prefer: 'respond-async' })).json();
    const foreign = await list('bob', `?cursor=${accepted.job_id}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('start again without it') });
    expect((await list('ann', '?cursor=job_typo')).status).toBe(400);
    const badState = await list('ann', '?state=done');
    expect(badState.status).toBe(400);
    expect(badState.body.error.message).toContain('state');
    expect((await list('ann', '?limit=0')).status).toBe(400);
    expect((await list('ann', '?limit=101')).status).toBe(400);
    const unknown = await list('ann', '?color=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^Invalid query: query: "color" is not taken here; the query takes .*limit.*state.*kind/);
    const galleryBody = await test.call('ann', 'POST', '/v1/gallery', { image: chelseaDataUri, bogus: 1 });
    expect(galleryBody.status).toBe(400);
    expect((await galleryBody.json()).error.message).toMatch(/^Invalid body: body: "bogus" is not taken here; the body takes image, refined_prompt, intent, metadata/);
    expect((await test.call('nobody', 'GET', '/v1/jobs')).status).toBe(401);
    await test.engine.jobs.wait('ann', accepted.job_id);
  });
});
