import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * A check of given secrets against one expected secret, in constant time: both are hashed first, so their
 * lengths leak nothing either. The expected secret's digest is computed once, here.
 */
export function secretMatcher(expected: string): (given: string) => boolean {
  const want = digest(expected);
  return (given) => timingSafeEqual(digest(given), want);
}

/** The bearer token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * The password of `Authorization: Basic <base64 of user:password>`, or null; the user name is not read (senders
 * such as UptimeRobot and Zabbix offer a user name and password, and the token is the password).
 */
export function basicPassword(req: Request): string | null {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (match === null) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 || colon === decoded.length - 1 ? null : decoded.slice(colon + 1);
}

/**
 * A webhook's token: `X-Hindsight-Token`, `Authorization: Bearer`, the password of `Authorization: Basic`, or
 * `?token=` for senders that cannot set headers. The first one present is the one checked.
 */
export function webhookToken(req: Request): string | null {
  const header = req.get('x-hindsight-token');
  if (header !== undefined && header.length > 0) return header;
  const bearer = bearerToken(req);
  if (bearer !== null) return bearer;
  const password = basicPassword(req);
  if (password !== null) return password;
  const query = req.query.token;
  return typeof query === 'string' && query.length > 0 ? query : null;
}
