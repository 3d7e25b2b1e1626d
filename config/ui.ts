/**
 * Sign-in for the browser UI: built-in users (UI_USERS_FILE, hashed passwords) and/or an SSO proxy's identity
 * header (AUTH_PROXY_HEADER, trusted only from AUTH_PROXY_TRUSTED_CIDRS). Parsed once with the rest of the
 * configuration; problems name the variable, the user or the field, never a hash or a secret.
 */
import fs from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { isPasswordHash } from '../src/web/auth/passwords';

export interface UiUser {
  name: string;
  /** `scrypt$…` as `npm run hash-password` prints it. */
  passwordHash: string;
}

export interface ProxyAuthConfig {
  /** The identity header, lower-cased (`x-forwarded-email`). */
  header: string;
  /** The CIDRs a request must come from (the socket's address) for the header to be believed. */
  trustedCidrs: readonly string[];
}

export interface UiConfig {
  users: readonly UiUser[];
  proxy: ProxyAuthConfig | null;
  /** Signs session cookies and CSRF tokens; null when no sign-in is configured (the UI then says so). */
  sessionSecret: string | null;
  sessionTtlSeconds: number;
  /** Cookies are `Secure` when PUBLIC_URL is https. */
  secureCookies: boolean;
}

export const MAX_UI_USERS = 1000;
const USER_NAME = /^[\p{L}\p{N}._@+-]{1,100}$/u;

const usersFileSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        name: z.string().regex(USER_NAME, 'must be 1-100 letters, digits or . _ @ + -'),
        passwordHash: z
          .string()
          .refine(isPasswordHash, 'must be a hash printed by `npm run hash-password` (scrypt$…)'),
      }),
    )
    .max(MAX_UI_USERS),
});

/** A CIDR list (`10.0.0.0/8, ::1/128`, or plain addresses) as a BlockList, or the first problem. */
export function parseCidrs(raw: readonly string[]): { list: BlockList } | { problem: string } {
  const list = new BlockList();
  for (const entry of raw) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max))
      return { problem: `"${entry}" is not an IPv4 or IPv6 address or CIDR` };
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { list };
}

export interface UiEnv {
  UI_USERS_FILE?: string;
  SESSION_SECRET?: string;
  SESSION_TTL_HOURS?: number;
  AUTH_PROXY_HEADER?: string;
  AUTH_PROXY_TRUSTED_CIDRS?: string[];
  PUBLIC_URL: string;
}

function readUsers(file: string, problems: string[]): UiUser[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`UI_USERS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`UI_USERS_FILE: ${file} is not JSON`);
    return [];
  }
  const parsed = usersFileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [, index, field] = issue.path;
      const users = (json as { users?: { name?: unknown }[] }).users;
      const name = typeof index === 'number' ? users?.[index]?.name : undefined;
      const who =
        typeof index === 'number' ? `user ${typeof name === 'string' ? `"${name}"` : `#${index + 1}`}` : '';
      problems.push(
        `UI_USERS_FILE: ${[who, field ?? (index === undefined ? issue.path.join('.') : '')]
          .filter(Boolean)
          .join(' ')}: ${issue.message}`.replace(/: : /, ': '),
      );
    }
    return [];
  }
  const seen = new Set<string>();
  for (const user of parsed.data.users) {
    const key = user.name.toLowerCase();
    if (seen.has(key)) problems.push(`UI_USERS_FILE: user "${user.name}" is listed twice`);
    seen.add(key);
  }
  return parsed.data.users;
}

/** The UI's sign-in settings, and every problem with them. */
export function loadUiConfig(env: UiEnv): { ui: UiConfig; problems: string[] } {
  const problems: string[] = [];
  const users = env.UI_USERS_FILE === undefined ? [] : readUsers(env.UI_USERS_FILE, problems);
  let proxy: ProxyAuthConfig | null = null;
  if (env.AUTH_PROXY_HEADER !== undefined) {
    const cidrs = env.AUTH_PROXY_TRUSTED_CIDRS ?? [];
    if (cidrs.length === 0)
      problems.push(
        'AUTH_PROXY_TRUSTED_CIDRS: is required with AUTH_PROXY_HEADER (the proxy addresses the header is believed from)',
      );
    else {
      const parsed = parseCidrs(cidrs);
      if ('problem' in parsed) problems.push(`AUTH_PROXY_TRUSTED_CIDRS: ${parsed.problem}`);
    }
    proxy = { header: env.AUTH_PROXY_HEADER.toLowerCase(), trustedCidrs: cidrs };
  } else if (env.AUTH_PROXY_TRUSTED_CIDRS !== undefined && env.AUTH_PROXY_TRUSTED_CIDRS.length > 0) {
    problems.push('AUTH_PROXY_HEADER: is required with AUTH_PROXY_TRUSTED_CIDRS');
  }
  const signIn = env.UI_USERS_FILE !== undefined || proxy !== null;
  if (signIn && env.SESSION_SECRET === undefined)
    problems.push(
      'SESSION_SECRET: is required with UI_USERS_FILE or AUTH_PROXY_HEADER (it signs the UI sessions)',
    );
  return {
    ui: Object.freeze({
      users: Object.freeze(users.map((u) => Object.freeze({ ...u }))),
      proxy:
        proxy === null
          ? null
          : Object.freeze({ ...proxy, trustedCidrs: Object.freeze([...proxy.trustedCidrs]) }),
      sessionSecret: signIn ? (env.SESSION_SECRET ?? null) : null,
      sessionTtlSeconds: (env.SESSION_TTL_HOURS ?? 12) * 3600,
      secureCookies: env.PUBLIC_URL.startsWith('https:'),
    }),
    problems,
  };
}
