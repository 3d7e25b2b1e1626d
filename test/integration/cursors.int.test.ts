/**
 * Page cursors over HTTP: a cursor the API returned walks the list, whatever its length; anything else (forged,
 * too long, a time that is no date) is a 400 naming `cursor`, never a 500.
 */
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

const b64 = (json: string) => Buffer.from(json).toString('base64url');
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
  // Event ids long enough that the cursor naming them is over 200 characters.
  for (const [n, transition, at] of [
    [1, 'Triggered', '2026-06-14T08:05:00Z'],
    [2, 'Warn', '2026-06-14T08:06:00Z'],
    [3, 'Recovered', '2026-06-14T08:35:00Z'],
  ] as const) {
    const payload = datadogPayload({ monitorId: '5150', transition, at, id: `${n}-${'e'.repeat(300)}` });
    expect((await pipeline.postDatadog(payload)).status).toBe(202);
  }
  await pipeline.drain();
});
afterAll(async () => {
  await pipeline.close();
});

function expectCursorRefused(res: { status: number; headers: Record<string, string>; body: unknown }): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({
    error: { code: 'invalid_payload', field: 'cursor', message: expect.stringMatching(/^cursor: /) },
  });
}

describe('GET /api/alert-log', () => {
  it('when paged one by one, then the cursors it returns walk every record once, long ids included', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await pipeline.api(`/api/alert-log?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(res.status).toBe(200);
      const body = res.body as { items: { eventId: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.eventId));
      cursor = body.nextCursor;
      if (cursor !== null) expect(cursor.length).toBeGreaterThan(200);
    } while (cursor !== null && seen.length < 10);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it.each([
    ['a time past any date', '[1e300,"x"]'],
    ['a time just past the last date', '[8640000000000001,"x"]'],
    ['a time that is not whole', '[1.5,"x"]'],
    ['a time as text', '["1718000000000","x"]'],
    ['an id that is not text', '[1718000000000,5]'],
    ['an empty id', '[1718000000000,""]'],
    ['an id longer than any record has', `[1718000000000,"${'x'.repeat(700)}"]`],
    ['an id holding a NUL character', '[1718000000000,"a\\u0000b"]'],
    ['a third item', '[1718000000000,"x",1]'],
    ['an object', '{"t":1718000000000,"id":"x"}'],
    ['not JSON', 'not-a-cursor'],
  ])('when the cursor is %s, then 400 naming cursor', async (_what, json) => {
    expectCursorRefused(await pipeline.api(`/api/alert-log?cursor=${b64(json)}`));
  });

  it('when the cursor is far longer than any the API returns, then 400 naming cursor, before decoding', async () => {
    expectCursorRefused(await pipeline.api(`/api/alert-log?cursor=${'A'.repeat(6000)}`));
  });

  it('when the cursor is not base64url, then 400 naming cursor', async () => {
    expectCursorRefused(await pipeline.api('/api/alert-log?cursor=a%2Bb%2Fc%3D'));
  });

  it('when the cursor is at the edge of the dates, then the page is simply empty or full', async () => {
    const first = await pipeline.api(`/api/alert-log?cursor=${b64('[-8640000000000000,"x"]')}`);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([]);
    const last = await pipeline.api(`/api/alert-log?cursor=${b64('[8640000000000000,"x"]')}`);
    expect(last.status).toBe(200);
    expect(last.body.items).toHaveLength(3);
  });
});

describe('GET /api/incidents', () => {
  it.each(['zzz', '0123456789abcdef0123456', b64('[1e300,"x"]'), `${'a'.repeat(24)}%00`])(
    'when the cursor is %s, then 400 naming cursor',
    async (cursor) => {
      expectCursorRefused(await pipeline.api(`/api/incidents?cursor=${cursor}`));
    },
  );

  it('when a cursor is an id no incident has, then the page is empty, not an error', async () => {
    const res = await pipeline.api('/api/incidents?cursor=000000000000000000000000');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});
