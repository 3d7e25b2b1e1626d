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
 * A webhook's token: `Authorization: Bearer`, `X-Hindsight-Token`, or `?token=` for senders that cannot set
 * headers. The first one present is the one checked.
 */
export function webhookToken(req: Request): string | null {
  const header = req.get('x-hindsight-token');
  if (header !== undefined && header.length > 0) return header;
  const bearer = bearerToken(req);
  if (bearer !== null) return bearer;
  const query = req.query.token;
  return typeof query === 'string' && query.length > 0 ? query : null;
}
