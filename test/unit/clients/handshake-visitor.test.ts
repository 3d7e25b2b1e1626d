import type { Fetch } from '../../../src/clients/bounded-fetch';
import { createHandshakeVisitor } from '../../../src/clients/handshake-visitor';

const URL_TO_VISIT = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=secret-token-123';

function visitorAnswering(answer: () => Promise<Response>, timeoutMs?: number) {
  const requests: RequestInit[] = [];
  const fetchFake: Fetch = (_input, init) => {
    requests.push(init ?? {});
    return answer();
  };
  return { visit: createHandshakeVisitor({ fetch: fetchFake, timeoutMs }), requests };
}

describe('createHandshakeVisitor', () => {
  test('when the URL answers 200, then the handshake is done, with one GET that follows no redirect', async () => {
    const { visit, requests } = visitorAnswering(async () => new Response('<ok/>', { status: 200 }));
    expect(await visit(URL_TO_VISIT)).toEqual({ ok: true, permanent: false, detail: 'HTTP 200' });
    expect(requests.map((r) => [r.method, r.redirect])).toEqual([['GET', 'manual']]);
  });

  test.each([
    [403, true],
    [404, true],
    [408, false],
    [429, false],
    [500, false],
    [302, false],
  ])('when the URL answers %s, then it failed, for good: %s', async (status, permanent) => {
    const { visit } = visitorAnswering(async () => new Response(null, { status }));
    expect(await visit(URL_TO_VISIT)).toEqual({ ok: false, permanent, detail: `HTTP ${status}` });
  });

  test('when the network fails, then it failed for now, and the detail names the code but not the URL', async () => {
    const { visit } = visitorAnswering(() =>
      Promise.reject(new TypeError(`fetch failed ${URL_TO_VISIT}`, { cause: { code: 'ECONNRESET' } })),
    );
    expect(await visit(URL_TO_VISIT)).toEqual({
      ok: false,
      permanent: false,
      detail: 'network error: ECONNRESET',
    });
  });

  test('when the URL does not answer in time, then it failed for now, saying so', async () => {
    const { visit } = visitorAnswering(
      () =>
        new Promise((_resolve, reject) =>
          setTimeout(() => reject(new DOMException('late', 'TimeoutError')), 5),
        ),
      50,
    );
    expect(await visit(URL_TO_VISIT)).toEqual({
      ok: false,
      permanent: false,
      detail: 'timed out after 50 ms',
    });
  });
});
