/**
 * Who is asking: a person signed in with a session cookie, or one an SSO proxy vouches for with its identity
 * header, believed only when the request comes from AUTH_PROXY_TRUSTED_CIDRS. Anyone else is nobody.
 */
import type { Request } from 'express';
import type { BlockList } from 'node:net';
import type { UiConfig } from '../../../config/ui';
import type { SessionStore } from '../../use-cases/ports';
import { SESSION_COOKIE, proxyCsrfToken, readCookie, sessionIdOf } from './sessions';

export interface Person {
  name: string;
  csrfToken: string;
  via: 'session' | 'proxy';
  /** The session behind it (none for the proxy). */
  sessionId: string | null;
}

const MAX_IDENTITY = 200;

/** `::ffff:10.0.0.1` is 10.0.0.1: an IPv4 client on a dual-stack socket. */
export function clientAddress(req: Request): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const raw = req.socket.remoteAddress;
  if (raw === undefined) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address: raw, family: raw.includes(':') ? 'ipv6' : 'ipv4' };
}

export function proxyIdentity(req: Request, ui: UiConfig, trusted: BlockList | null): string | null {
  if (ui.proxy === null || trusted === null) return null;
  const value = req.get(ui.proxy.header)?.trim();
  if (value === undefined || value.length === 0 || value.length > MAX_IDENTITY) return null;
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  const client = clientAddress(req);
  return client !== null && trusted.check(client.address, client.family) ? value : null;
}

export async function identify(
  req: Request,
  ui: UiConfig,
  trusted: BlockList | null,
  sessions: SessionStore,
): Promise<Person | null> {
  const secret = ui.sessionSecret;
  if (secret === null) return null;
  const proxied = proxyIdentity(req, ui, trusted);
  if (proxied !== null)
    return { name: proxied, csrfToken: proxyCsrfToken(secret, proxied), via: 'proxy', sessionId: null };
  const id = sessionIdOf(secret, readCookie(req.get('cookie'), SESSION_COOKIE));
  if (id === null) return null;
  const session = await sessions.find(id);
  return session === null
    ? null
    : { name: session.name, csrfToken: session.csrfToken, via: 'session', sessionId: session.id };
}
