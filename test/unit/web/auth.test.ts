import type { Request } from 'express';
import { parseCidrs, type UiConfig } from '../../../config/ui';
import { clientAddress, identify, proxyIdentity } from '../../../src/web/auth/identify';
import { createLoginThrottle } from '../../../src/web/auth/login-throttle';
import { hashPassword, isPasswordHash, verifyPassword } from '../../../src/web/auth/passwords';
import {
  cookieHeader,
  loginCsrfToken,
  newSession,
  proxyCsrfToken,
  readCookie,
  sameSecret,
  sessionCookieValue,
  sessionIdOf,
} from '../../../src/web/auth/sessions';
import { safeNext } from '../../../src/web/auth.routes';
import { MemorySessionStore } from '../../helpers/memory/session-store';

const SECRET = 'x'.repeat(32);

describe('passwords', () => {
  it('when a password is hashed, then it verifies, another does not, and two hashes of it differ (salted)', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(isPasswordHash(hash)).toBe(true);
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('when the user is unknown (no hash), then nothing verifies, not even the decoy', async () => {
    await expect(verifyPassword('', null)).resolves.toBe(false);
    await expect(verifyPassword('anything', null)).resolves.toBe(false);
  });

  it.each([
    'plain',
    'scrypt$15$8$1$short$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$9$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$21$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$15$0$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$15$8$17$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ])('when a stored hash is "%s", then it is not a hash', (hash) => {
    expect(isPasswordHash(hash)).toBe(false);
  });
});

describe('session cookies', () => {
  const now = new Date('2026-06-14T10:00:00Z');

  it('when a session is made, then its id and CSRF token are random and it expires after the TTL', () => {
    const a = newSession('alice', now, 3600);
    const b = newSession('alice', now, 3600);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(a.expiresAt.toISOString()).toBe('2026-06-14T11:00:00.000Z');
  });

  it('when the cookie is ours, then its session id is read; signed with another secret or altered, it is not', () => {
    const { id } = newSession('alice', now, 60);
    const value = sessionCookieValue(SECRET, id);
    expect(sessionIdOf(SECRET, value)).toBe(id);
    expect(sessionIdOf('y'.repeat(32), value)).toBeNull();
    const altered = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${value.split('.')[1]}`;
    expect(sessionIdOf(SECRET, altered)).toBeNull();
    expect(sessionIdOf(SECRET, undefined)).toBeNull();
    expect(sessionIdOf(SECRET, `${value}x`)).toBeNull();
    expect(sessionIdOf(SECRET, 'x'.repeat(500))).toBeNull();
  });

  it('when a cookie header is written, then it is HttpOnly, SameSite=Lax, on /, and Secure only when asked', () => {
    expect(cookieHeader('n', 'v', { secure: false, maxAgeSeconds: 60 })).toBe(
      'n=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
    expect(cookieHeader('n', 'v', { secure: true, maxAgeSeconds: 0 })).toBe(
      'n=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure',
    );
  });

  it('when a Cookie header is read, then the named cookie is found among others, and an oversized header is ignored', () => {
    expect(readCookie('a=1; hindsight_session=abc.def; b=2', 'hindsight_session')).toBe('abc.def');
    expect(readCookie('xhindsight_session=1', 'hindsight_session')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
    expect(readCookie(`a=${'x'.repeat(9000)}`, 'a')).toBeUndefined();
  });

  it('when CSRF tokens are derived, then they depend on the secret, the purpose and the value', () => {
    expect(proxyCsrfToken(SECRET, 'alice')).toBe(proxyCsrfToken(SECRET, 'alice'));
    expect(proxyCsrfToken(SECRET, 'alice')).not.toBe(proxyCsrfToken(SECRET, 'bob'));
    expect(proxyCsrfToken(SECRET, 'alice')).not.toBe(proxyCsrfToken('z'.repeat(32), 'alice'));
    expect(loginCsrfToken(SECRET, 'alice')).not.toBe(proxyCsrfToken(SECRET, 'alice'));
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });
});

function fakeRequest(remoteAddress: string | undefined, headers: Record<string, string> = {}): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    socket: { remoteAddress },
    get: (name: string) => lower[name.toLowerCase()],
  } as unknown as Request;
}

describe('who is asking', () => {
  const ui: UiConfig = {
    users: [],
    proxy: { header: 'x-forwarded-email', trustedCidrs: ['10.0.0.0/8'] },
    sessionSecret: SECRET,
    sessionTtlSeconds: 3600,
    secureCookies: false,
  };
  const parsed = parseCidrs(ui.proxy!.trustedCidrs);
  const trusted = 'list' in parsed ? parsed.list : null;

  it('when an IPv4 client comes on a dual-stack socket, then its address is the IPv4 one', () => {
    expect(clientAddress(fakeRequest('::ffff:10.1.2.3'))).toEqual({ address: '10.1.2.3', family: 'ipv4' });
    expect(clientAddress(fakeRequest('::1'))).toEqual({ address: '::1', family: 'ipv6' });
    expect(clientAddress(fakeRequest(undefined))).toBeNull();
  });

  it('when the header comes from a trusted address, then it is the person; from any other, it is ignored', () => {
    expect(
      proxyIdentity(
        fakeRequest('::ffff:10.1.2.3', { 'X-Forwarded-Email': ' alice@example.com ' }),
        ui,
        trusted,
      ),
    ).toBe('alice@example.com');
    expect(
      proxyIdentity(fakeRequest('192.168.0.1', { 'X-Forwarded-Email': 'alice@example.com' }), ui, trusted),
    ).toBeNull();
    expect(proxyIdentity(fakeRequest('10.1.2.3', {}), ui, trusted)).toBeNull();
  });

  it('when the header is empty, too long or carries control characters, then it is nobody', () => {
    for (const value of ['', 'a'.repeat(201), 'alice\u0000@example.com', 'alice\n@example.com'])
      expect(proxyIdentity(fakeRequest('10.1.2.3', { 'X-Forwarded-Email': value }), ui, trusted)).toBeNull();
  });

  it('when a session cookie names a stored session, then that is the person; once removed, nobody', async () => {
    const store = new MemorySessionStore();
    const session = newSession('bob', new Date(), 3600);
    await store.save(session);
    const req = fakeRequest('192.168.0.1', {
      cookie: `hindsight_session=${sessionCookieValue(SECRET, session.id)}`,
    });
    await expect(identify(req, ui, trusted, store)).resolves.toEqual({
      name: 'bob',
      csrfToken: session.csrfToken,
      via: 'session',
      sessionId: session.id,
    });
    await store.remove(session.id);
    await expect(identify(req, ui, trusted, store)).resolves.toBeNull();
  });

  it('when the proxy vouches, then the person needs no session and has the identity-bound CSRF token', async () => {
    const req = fakeRequest('10.0.0.5', { 'x-forwarded-email': 'carol@example.com' });
    await expect(identify(req, ui, trusted, new MemorySessionStore())).resolves.toEqual({
      name: 'carol@example.com',
      csrfToken: proxyCsrfToken(SECRET, 'carol@example.com'),
      via: 'proxy',
      sessionId: null,
    });
  });

  it('when no sign-in is configured (no secret), then even a trusted header is nobody', async () => {
    const req = fakeRequest('10.0.0.5', { 'x-forwarded-email': 'carol@example.com' });
    await expect(
      identify(req, { ...ui, sessionSecret: null }, trusted, new MemorySessionStore()),
    ).resolves.toBeNull();
  });
});

describe('failed sign-ins', () => {
  const options = { failuresPerName: 3, failuresPerAddress: 5, windowMs: 60_000, maxKeys: 4 };

  it('when a name fails past its limit, then it waits out the window, whatever the address; success resets it', () => {
    const throttle = createLoginThrottle(options);
    for (let i = 0; i < 3; i += 1) throttle.recordFailure('Alice', `10.0.0.${i}`, 1_000);
    expect(throttle.retryAfterSeconds('alice', '10.0.0.9', 1_000)).toBe(60);
    expect(throttle.retryAfterSeconds('alice', '10.0.0.9', 31_000)).toBe(30);
    expect(throttle.retryAfterSeconds('alice', '10.0.0.9', 61_000)).toBe(0);
    for (let i = 0; i < 3; i += 1) throttle.recordFailure('alice', '10.0.0.1', 70_000);
    throttle.recordSuccess('ALICE');
    expect(throttle.retryAfterSeconds('alice', '10.0.0.9', 70_000)).toBe(0);
  });

  it('when one address fails for many names, then it is held back too', () => {
    const throttle = createLoginThrottle({ ...options, maxKeys: 100 });
    for (let i = 0; i < 5; i += 1) throttle.recordFailure(`user${i}`, '10.0.0.1', 0);
    expect(throttle.retryAfterSeconds('someone-else', '10.0.0.1', 0)).toBe(60);
    expect(throttle.retryAfterSeconds('someone-else', '10.0.0.2', 0)).toBe(0);
  });

  it('when more keys than the bound are counted, then the oldest are dropped and the map stays bounded', () => {
    const throttle = createLoginThrottle({
      ...options,
      failuresPerName: 1,
      failuresPerAddress: 100,
      maxKeys: 3,
    });
    throttle.recordFailure('first', 'a', 0);
    expect(throttle.retryAfterSeconds('first', 'z', 0)).toBe(60);
    throttle.recordFailure('second', 'a', 0);
    throttle.recordFailure('third', 'a', 0);
    // 3 keys at most: name:first, address:a, name:second; then name:third drops name:first, the oldest.
    expect(throttle.retryAfterSeconds('first', 'z', 0)).toBe(0);
    expect(throttle.retryAfterSeconds('third', 'z', 0)).toBe(60);
  });
});

describe('where to go after signing in', () => {
  it.each([
    ['/incidents/abc', '/incidents/abc'],
    ['/?status=open', '/?status=open'],
    ['//evil.example.com', '/'],
    ['/\\evil.example.com', '/'],
    ['https://evil.example.com', '/'],
    ['incidents', '/'],
    ['/a b', '/'],
    [undefined, '/'],
    [['/x'], '/'],
  ])('when next is %j, then it goes to %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
