import type { Request } from 'express';
import { basicPassword, bearerToken, secretMatcher, webhookToken } from '../../src/http/auth';

/** The parts of a request the token readers look at: headers (by any case of name) and the query string. */
function request(headers: Record<string, string>, query: Record<string, unknown> = {}): Request {
  const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => byName.get(name.toLowerCase()), query } as unknown as Request;
}

const TOKEN = 'Hx7-secret-Token-0123';

describe('secretMatcher', () => {
  let matches: (given: string) => boolean;
  beforeEach(() => {
    matches = secretMatcher(TOKEN);
  });

  it('when the given secret is the expected one, then it matches', () => {
    expect(matches(TOKEN)).toBe(true);
  });

  it.each([
    ['differing only in case', TOKEN.toLowerCase()],
    ['differing only in case (upper)', TOKEN.toUpperCase()],
    ['a prefix', TOKEN.slice(0, -1)],
    ['longer', `${TOKEN}x`],
    ['with a trailing space', `${TOKEN} `],
    ['empty', ''],
  ])('when the given secret is %s, then it is refused', (_what, given) => {
    expect(matches(given)).toBe(false);
  });

  it('when two matchers hold different secrets, then each accepts only its own', () => {
    const other = secretMatcher('another-secret-0123');
    expect(other(TOKEN)).toBe(false);
    expect(other('another-secret-0123')).toBe(true);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
  ])('when Authorization is %j, then the token is %j', (header, token) => {
    expect(bearerToken(request({ Authorization: header }))).toBe(token);
  });

  it('when the token has upper-case letters, then they are kept as sent', () => {
    expect(bearerToken(request({ Authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
  });

  it.each([undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', 'Token abc', 'xBearer abc'])(
    'when Authorization is %j, then there is no bearer token',
    (header) => {
      expect(bearerToken(request(header === undefined ? {} : { Authorization: header }))).toBeNull();
    },
  );
});

describe('webhookToken', () => {
  it('when X-Hindsight-Token is sent, then it is the token, ahead of a bearer and a query token', () => {
    const req = request(
      { 'X-Hindsight-Token': 'from-header', Authorization: 'Bearer from-bearer' },
      {
        token: 'from-query',
      },
    );
    expect(webhookToken(req)).toBe('from-header');
  });

  it('when only a bearer and a query token are sent, then the bearer is the token', () => {
    expect(webhookToken(request({ Authorization: 'Bearer from-bearer' }, { token: 'q' }))).toBe(
      'from-bearer',
    );
  });

  it('when only ?token= is sent, then it is the token, its case kept', () => {
    expect(webhookToken(request({}, { token: TOKEN }))).toBe(TOKEN);
  });

  it('when X-Hindsight-Token is empty, then the next way is read', () => {
    expect(webhookToken(request({ 'X-Hindsight-Token': '' }, { token: 'q' }))).toBe('q');
  });

  it.each([[{}], [{ token: '' }], [{ token: ['a', 'b'] }], [{ token: { a: 'b' } }]])(
    'when the query is %j and no header is sent, then there is no token',
    (query) => {
      expect(webhookToken(request({}, query))).toBeNull();
    },
  );
});

describe('basicPassword', () => {
  const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

  it('when Basic credentials are sent, then the password is the token and the user name is not read', () => {
    expect(basicPassword(request({ authorization: basic(`hindsight:${TOKEN}`) }))).toBe(TOKEN);
    expect(basicPassword(request({ authorization: basic(`anyone:${TOKEN}`) }))).toBe(TOKEN);
  });

  it('when the password holds a colon, then everything after the first colon is the password', () => {
    expect(basicPassword(request({ authorization: basic('u:a:b:c') }))).toBe('a:b:c');
  });

  it('when the scheme is written in another case, then it is still Basic', () => {
    expect(basicPassword(request({ authorization: basic(`u:${TOKEN}`).replace('Basic', 'bAsIc') }))).toBe(
      TOKEN,
    );
  });

  it.each([
    ['no colon', basic(TOKEN)],
    ['an empty password', basic('user:')],
    ['not base64 at all', 'Basic !!!'],
    ['no credentials', 'Basic '],
    ['a bearer token', `Bearer ${TOKEN}`],
  ])('when the header has %s, then there is no password', (_what, header) => {
    expect(basicPassword(request({ authorization: header }))).toBeNull();
  });

  it('when no Authorization header is sent, then there is no password', () => {
    expect(basicPassword(request({}))).toBeNull();
  });

  it('when only Basic is sent, then webhookToken reads its password; a bearer and X-Hindsight-Token come first', () => {
    expect(webhookToken(request({ authorization: basic(`u:${TOKEN}`) }, { token: 'q' }))).toBe(TOKEN);
    expect(webhookToken(request({ authorization: basic(`u:${TOKEN}`), 'x-hindsight-token': 'h' }))).toBe('h');
  });
});
