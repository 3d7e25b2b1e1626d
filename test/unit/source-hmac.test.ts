/** The HMAC-SHA256 check shared by signing sources (src/sources/hmac.ts). */
import { createHmac } from 'node:crypto';
import { hexDigestMatches, hmacSha256 } from '../../src/sources/hmac';

describe('hmacSha256', () => {
  it('when parts are given, then it is the HMAC of them in order, as one message', () => {
    const expected = createHmac('sha256', 'secret-0123').update('1781431200:{"a":1}').digest();
    expect(hmacSha256('secret-0123', '1781431200', ':', Buffer.from('{"a":1}'))).toEqual(expected);
    expect(hmacSha256('secret-0123', '{"a":1}')).not.toEqual(expected);
    expect(hmacSha256('other-secret', '1781431200:{"a":1}')).not.toEqual(expected);
  });
});

describe('hexDigestMatches', () => {
  let digest: Buffer;
  beforeEach(() => {
    digest = hmacSha256('secret-0123', 'body');
  });

  it('when the hex spells the digest, in either case, then it matches', () => {
    expect(hexDigestMatches(digest.toString('hex'), digest)).toBe(true);
    expect(hexDigestMatches(digest.toString('hex').toUpperCase(), digest)).toBe(true);
  });

  it.each([
    ['absent', () => undefined],
    ['empty', () => ''],
    ['one digit short', (hex: string) => hex.slice(0, -1)],
    ['an odd number of digits', (hex: string) => `${hex}0`],
    ['not hex', (hex: string) => `${hex.slice(0, -2)}zz`],
    ['a prefix', (hex: string) => hex.slice(0, 32)],
    ['longer', (hex: string) => `${hex}00`],
  ])('when the value is %s, then it does not match', (_what, valueOf) => {
    expect(hexDigestMatches(valueOf(digest.toString('hex')), digest)).toBe(false);
  });

  it('when the hex is another digest of the same length, then it does not match', () => {
    expect(hexDigestMatches(hmacSha256('secret-0123', 'other').toString('hex'), digest)).toBe(false);
  });
});
