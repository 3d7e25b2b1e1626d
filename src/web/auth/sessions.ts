/**
 * UI sessions: a random id in an HttpOnly cookie, signed with SESSION_SECRET, and the session itself kept
 * server-side (SessionStore, Redis in production) so that signing out ends it everywhere at once. Each session
 * carries its own CSRF token, which every state-changing form and request must send back.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  id: string;
  /** Who signed in: the name acknowledgements, notes and edits are recorded under. */
  name: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export const SESSION_COOKIE = 'hindsight_session';
export const LOGIN_COOKIE = 'hindsight_login';

export function sign(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${value}`).digest('base64url');
}

/** Constant-time comparison of two strings' bytes (hashed first, so lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'compare').update(given).digest();
  const b = createHmac('sha256', 'compare').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function newSession(name: string, now: Date, ttlSeconds: number): Session {
  return {
    id: randomBytes(32).toString('base64url'),
    name,
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  };
}

/** The cookie's value: the session id and its signature. */
export function sessionCookieValue(secret: string, sessionId: string): string {
  return `${sessionId}.${sign(secret, 'session', sessionId)}`;
}

/** The session id a cookie value carries, if its signature is ours; null for anything else. */
export function sessionIdOf(secret: string, cookieValue: string | undefined): string | null {
  if (cookieValue === undefined || cookieValue.length > 200) return null;
  const match = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(cookieValue);
  if (match === null) return null;
  return sameSecret(match[2]!, sign(secret, 'session', match[1]!)) ? match[1]! : null;
}

/** The CSRF token of a person signed in through the SSO proxy (no session): bound to their identity. */
export function proxyCsrfToken(secret: string, name: string): string {
  return sign(secret, 'proxy-csrf', name);
}

/** The sign-in form's own CSRF token, bound to a random value in a short-lived cookie (double submit, signed). */
export function loginCsrfToken(secret: string, nonce: string): string {
  return sign(secret, 'login-csrf', nonce);
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/** A Set-Cookie header value: HttpOnly, SameSite=Lax, Path=/, Secure when the UI is served over https. */
export function cookieHeader(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The named cookie of a Cookie header, or undefined; values are not decoded (ours are base64url). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
