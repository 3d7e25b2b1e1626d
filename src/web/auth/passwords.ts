/**
 * Password hashes for the UI's built-in users: scrypt (node:crypto, no native dependency), a random salt per
 * password, stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url). Verification runs in constant time and
 * costs the same for an unknown user, so a response's timing does not tell whether a name exists.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_BYTES = 32;
const DEFAULTS = { log2N: 15, r: 8, p: 1 };
const HASH = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{43})$/;
/** Longer passwords are refused before hashing: scrypt's cost does not depend on it, but the body does. */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

interface ParsedHash {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(hash: string): ParsedHash | null {
  const match = HASH.exec(hash);
  if (match === null) return null;
  const [log2N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (log2N < 10 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { log2N, r, p, salt: Buffer.from(match[4]!, 'base64url'), key: Buffer.from(match[5]!, 'base64url') };
}

export function isPasswordHash(hash: string): boolean {
  return parse(hash) !== null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { log2N, r, p } = DEFAULTS;
  const key = await derive(password, salt, { N: 2 ** log2N, r, p });
  return `scrypt$${log2N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash no password matches, verified in place of an unknown user's so that both cost the same. */
const DECOY = parse('scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')!;

/** True when `password` matches `hash`; a null hash (unknown user) costs a verification and is false. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  const parsed = (hash === null ? null : parse(hash)) ?? DECOY;
  const key = await derive(password.slice(0, MAX_PASSWORD_LENGTH), parsed.salt, {
    N: 2 ** parsed.log2N,
    r: parsed.r,
    p: parsed.p,
  });
  return timingSafeEqual(key, parsed.key) && hash !== null && parsed !== DECOY;
}
