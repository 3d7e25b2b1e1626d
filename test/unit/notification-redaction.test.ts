/** What a target's error answer may keep once redacted: nothing of the target's URL or headers. */
import { redactTargetSecrets, targetSecrets } from '../../workers/notification-deliver.processor';

const target = {
  url: 'https://ops-bot.example.com/hooks/T0ABCDEFG/pathSEKRET42?token=SEKRET123&sig=a%2Fb%2Bc&x=1#frag-SEKRET9',
  headers: { Authorization: 'Bearer header-SEKRET-0123' },
};

const SECRETS = [
  'T0ABCDEFG',
  'pathSEKRET42',
  'SEKRET123',
  'a%2Fb%2Bc',
  'a/b+c',
  'frag-SEKRET9',
  'header-SEKRET-0123',
];

describe('redactTargetSecrets', () => {
  it.each([
    ['the whole URL', target.url],
    ['origin and path', 'https://ops-bot.example.com/hooks/T0ABCDEFG/pathSEKRET42'],
    ['the path', 'bad request to /hooks/T0ABCDEFG/pathSEKRET42?token=SEKRET123&sig=a%2Fb%2Bc&x=1'],
    ['one long segment of the path', 'unknown channel pathSEKRET42'],
    ['the query string', 'query was token=SEKRET123&sig=a%2Fb%2Bc&x=1'],
    ['the query string, decoded', 'query was token=SEKRET123&sig=a/b+c&x=1'],
    ['one query value', 'invalid token SEKRET123'],
    ['one query value in another letter case', 'invalid token sekret123'],
    ['a query value, decoded', 'bad signature a/b+c'],
    ['a query value, in JSON', '{"error":"bad token","token":"SEKRET123"}'],
    ['the fragment', 'no anchor frag-SEKRET9'],
    ['a header value', 'Authorization Bearer header-SEKRET-0123 refused'],
    ['the token of a header value', 'token header-SEKRET-0123 refused'],
  ])('when an answer echoes %s, then no secret is left', (_what, answer) => {
    const redacted = redactTargetSecrets(answer, target);
    for (const secret of SECRETS) expect(redacted.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(redacted).toContain('[');
  });

  it('when an answer echoes none of the target, then it is kept as it is', () => {
    expect(redactTargetSecrets('invalid_blocks: no text', target)).toBe('invalid_blocks: no text');
  });

  it('when a query value is short, or a segment is a common word, then ordinary text is kept', () => {
    expect(redactTargetSecrets('hooks: x must be 1 or more', target)).toBe('hooks: x must be 1 or more');
  });

  it('when a target URL has a query, then each of its values is a secret, raw and decoded', () => {
    const secrets = targetSecrets({
      url: 'http://127.0.0.1:9/h?token=a%20b%20c%20d&bare-SEKRET&q=one+two',
      headers: {},
    });
    expect(secrets).toEqual(
      expect.arrayContaining(['a%20b%20c%20d', 'a b c d', 'bare-SEKRET', 'one+two', 'one two']),
    );
    // Longest first: the whole URL goes before its pieces, so it is replaced as one.
    expect(secrets[0]).toBe('http://127.0.0.1:9/h?token=a%20b%20c%20d&bare-SEKRET&q=one+two');
    expect(secrets.every((s) => s.length >= 4)).toBe(true);
  });
});
