import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../config';
import { parseCidrs } from '../../../config/ui';
import { hashPassword } from '../../../src/web/auth/passwords';
import { configProblemsOf } from '../../helpers/config';

const base = { WEBHOOK_TOKEN: 'w'.repeat(20), API_TOKEN: 'a'.repeat(20) };
const SECRET = 's'.repeat(32);
let dir: string;
let hash: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-ui-config-'));
  hash = await hashPassword('a long enough password');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function usersFile(content: unknown): string {
  const file = path.join(dir, `users-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the UI sign-in configuration', () => {
  it('when nothing is set, then there is no sign-in and no secret', () => {
    const { ui } = loadConfig(base);
    expect(ui).toEqual({
      users: [],
      proxy: null,
      sessionSecret: null,
      sessionTtlSeconds: 12 * 3600,
      secureCookies: false,
    });
  });

  it('when a users file and a secret are set, then the users are read and cookies are Secure under an https PUBLIC_URL', () => {
    const file = usersFile({ users: [{ name: 'alice', passwordHash: hash }] });
    const { ui } = loadConfig({
      ...base,
      UI_USERS_FILE: file,
      SESSION_SECRET: SECRET,
      PUBLIC_URL: 'https://hs.example.com',
      SESSION_TTL_HOURS: '8',
    });
    expect(ui.users).toEqual([{ name: 'alice', passwordHash: hash }]);
    expect(ui.sessionSecret).toBe(SECRET);
    expect(ui.sessionTtlSeconds).toBe(8 * 3600);
    expect(ui.secureCookies).toBe(true);
    expect(Object.isFrozen(ui.users)).toBe(true);
  });

  it('when a users file is set without SESSION_SECRET, then that is named', () => {
    const file = usersFile({ users: [] });
    expect(configProblemsOf({ ...base, UI_USERS_FILE: file })).toContain(
      'SESSION_SECRET: is required with UI_USERS_FILE or AUTH_PROXY_HEADER (it signs the UI sessions)',
    );
  });

  it('when SESSION_SECRET is short, then that is named', () => {
    expect(configProblemsOf({ ...base, SESSION_SECRET: 'short' })).toContain(
      'SESSION_SECRET: must be at least 32 characters',
    );
  });

  it('when a user has a plain password or a bad name, then the problem names the user and the field, never the value', () => {
    const file = usersFile({
      users: [
        { name: 'bob', passwordHash: 'hunter2' },
        { name: 'no spaces please', passwordHash: hash },
      ],
    });
    const problems = configProblemsOf({ ...base, UI_USERS_FILE: file, SESSION_SECRET: SECRET });
    expect(problems).toContain(
      'UI_USERS_FILE: user "bob" passwordHash: must be a hash printed by `npm run hash-password` (scrypt$…)',
    );
    expect(problems).toContain(
      'UI_USERS_FILE: user "no spaces please" name: must be 1-100 letters, digits or . _ @ + -',
    );
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('when a user is listed twice (in any case), then that is named', () => {
    const file = usersFile({
      users: [
        { name: 'alice', passwordHash: hash },
        { name: 'Alice', passwordHash: hash },
      ],
    });
    expect(configProblemsOf({ ...base, UI_USERS_FILE: file, SESSION_SECRET: SECRET })).toContain(
      'UI_USERS_FILE: user "Alice" is listed twice',
    );
  });

  it('when the users file is missing or not JSON, then the problem says which', () => {
    expect(
      configProblemsOf({ ...base, UI_USERS_FILE: path.join(dir, 'absent.json'), SESSION_SECRET: SECRET }),
    ).toContainEqual(expect.stringMatching(/^UI_USERS_FILE: cannot read .*absent\.json \(ENOENT\)$/));
    expect(
      configProblemsOf({ ...base, UI_USERS_FILE: usersFile('{not json'), SESSION_SECRET: SECRET }),
    ).toContainEqual(expect.stringMatching(/^UI_USERS_FILE: .* is not JSON$/));
  });

  it('when the proxy header is set without trusted addresses, or with a bad one, then that is named', () => {
    expect(
      configProblemsOf({ ...base, AUTH_PROXY_HEADER: 'X-Forwarded-Email', SESSION_SECRET: SECRET }),
    ).toContainEqual(expect.stringMatching(/^AUTH_PROXY_TRUSTED_CIDRS: is required with AUTH_PROXY_HEADER/));
    expect(
      configProblemsOf({
        ...base,
        AUTH_PROXY_HEADER: 'X-Forwarded-Email',
        AUTH_PROXY_TRUSTED_CIDRS: '10.0.0.0/33',
        SESSION_SECRET: SECRET,
      }),
    ).toContain('AUTH_PROXY_TRUSTED_CIDRS: "10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR');
    expect(configProblemsOf({ ...base, AUTH_PROXY_TRUSTED_CIDRS: '10.0.0.0/8' })).toContain(
      'AUTH_PROXY_HEADER: is required with AUTH_PROXY_TRUSTED_CIDRS',
    );
    expect(
      configProblemsOf({
        ...base,
        AUTH_PROXY_HEADER: 'X Forwarded',
        AUTH_PROXY_TRUSTED_CIDRS: '10.0.0.0/8',
        SESSION_SECRET: SECRET,
      }),
    ).toContain('AUTH_PROXY_HEADER: must be a header name such as X-Forwarded-Email');
  });

  it('when the proxy is configured, then its header is lower-cased and its CIDRs kept', () => {
    const { ui } = loadConfig({
      ...base,
      AUTH_PROXY_HEADER: 'X-Forwarded-Email',
      AUTH_PROXY_TRUSTED_CIDRS: '10.0.0.0/8, ::1',
      SESSION_SECRET: SECRET,
    });
    expect(ui.proxy).toEqual({ header: 'x-forwarded-email', trustedCidrs: ['10.0.0.0/8', '::1'] });
    expect(ui.sessionSecret).toBe(SECRET);
  });
});

describe('parseCidrs', () => {
  it('when given addresses and subnets of both families, then the list holds exactly them', () => {
    const parsed = parseCidrs(['10.1.0.0/16', '192.168.1.7', 'fd00::/8']);
    if (!('list' in parsed)) throw new Error(parsed.problem);
    expect(parsed.list.check('10.1.255.1', 'ipv4')).toBe(true);
    expect(parsed.list.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(parsed.list.check('192.168.1.7', 'ipv4')).toBe(true);
    expect(parsed.list.check('192.168.1.8', 'ipv4')).toBe(false);
    expect(parsed.list.check('fd12::1', 'ipv6')).toBe(true);
    expect(parsed.list.check('fe80::1', 'ipv6')).toBe(false);
  });

  it.each(['10.0.0.0/', 'example.com', '10.0.0.0/8/1', '::1/129', '10.0.0.0/-1', '10.0.0.0/1.5'])(
    'when given "%s", then it is refused',
    (entry) => {
      expect(parseCidrs([entry])).toEqual({ problem: `"${entry}" is not an IPv4 or IPv6 address or CIDR` });
    },
  );
});
