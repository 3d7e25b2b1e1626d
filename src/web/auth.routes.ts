/** `/login` and `/logout`: the built-in sign-in (UI_USERS_FILE) and its session cookie. */
import express, { Router, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { UiConfig } from '../../config/ui';
import type { SessionStore } from '../use-cases/ports';
import type { Logger } from '../logger';
import { clientAddress, type Person } from './auth/identify';
import type { LoginThrottle } from './auth/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from './auth/passwords';
import {
  LOGIN_COOKIE,
  SESSION_COOKIE,
  cookieHeader,
  loginCsrfToken,
  newSession,
  readCookie,
  sameSecret,
  sessionCookieValue,
} from './auth/sessions';
import { sendPage } from './views';

export interface AuthRoutesDeps {
  ui: UiConfig;
  sessions: SessionStore;
  throttle: LoginThrottle;
  logger: Logger;
  now: () => Date;
  identifyRequest: (req: Request) => Promise<Person | null>;
}

/** Where to go after signing in: a path of this site only (never `//host` or a URL). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(value) ? value : '/';
}

const LOGIN_NONCE_SECONDS = 3600;

export function authRoutes(deps: AuthRoutesDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  const { ui } = deps;

  const loginPage = (res: Response, next: string, status: number, error: string | null, name = '') => {
    const secret = ui.sessionSecret;
    let token = '';
    if (secret !== null && ui.users.length > 0) {
      const nonce = randomBytes(24).toString('base64url');
      res.append(
        'Set-Cookie',
        cookieHeader(LOGIN_COOKIE, nonce, { secure: ui.secureCookies, maxAgeSeconds: LOGIN_NONCE_SECONDS }),
      );
      token = loginCsrfToken(secret, nonce);
    }
    sendPage(
      res,
      'login',
      {
        title: 'Sign in',
        person: null,
        next,
        error,
        name,
        csrfToken: token,
        builtIn: secret !== null && ui.users.length > 0,
        proxy: ui.proxy !== null,
      },
      status,
    );
  };

  router.get('/login', async (req, res) => {
    const next = safeNext(req.query.next);
    if ((await deps.identifyRequest(req)) !== null) {
      res.redirect(303, next);
      return;
    }
    loginPage(res, next, 200, null);
  });

  router.post('/login', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const secret = ui.sessionSecret;
    if (secret === null || ui.users.length === 0) {
      loginPage(res, next, 404, 'Built-in sign-in is not configured.');
      return;
    }
    const nonce = readCookie(req.get('cookie'), LOGIN_COOKIE);
    const token = typeof body._csrf === 'string' ? body._csrf : '';
    if (nonce === undefined || !sameSecret(token, loginCsrfToken(secret, nonce))) {
      loginPage(res, next, 403, 'The sign-in form had expired. Please try again.');
      return;
    }
    const name = typeof body.name === 'string' ? body.name.trim().slice(0, 100) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const address = clientAddress(req)?.address ?? 'unknown';
    const now = deps.now();
    const wait = deps.throttle.retryAfterSeconds(name, address, now.getTime());
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      loginPage(res, next, 429, `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} min.`, name);
      return;
    }
    const user = ui.users.find((u) => u.name.toLowerCase() === name.toLowerCase()) ?? null;
    const valid =
      password.length > 0 &&
      password.length <= MAX_PASSWORD_LENGTH &&
      (await verifyPassword(password, user?.passwordHash ?? null));
    if (!valid || user === null) {
      deps.throttle.recordFailure(name, address, now.getTime());
      deps.logger.warn({ address }, 'UI sign-in refused');
      loginPage(res, next, 401, 'That name and password do not match.', name);
      return;
    }
    deps.throttle.recordSuccess(name);
    const session = newSession(user.name, now, ui.sessionTtlSeconds);
    await deps.sessions.save(session);
    res.append(
      'Set-Cookie',
      cookieHeader(SESSION_COOKIE, sessionCookieValue(secret, session.id), {
        secure: ui.secureCookies,
        maxAgeSeconds: ui.sessionTtlSeconds,
      }),
    );
    res.append('Set-Cookie', cookieHeader(LOGIN_COOKIE, '', { secure: ui.secureCookies, maxAgeSeconds: 0 }));
    deps.logger.info({ user: user.name }, 'UI sign-in');
    res.redirect(303, next);
  });

  return router;
}

/** `POST /logout` (behind the CSRF check): ends the session everywhere and clears the cookie. */
export async function signOut(res: Response, person: Person, deps: Pick<AuthRoutesDeps, 'ui' | 'sessions'>) {
  if (person.sessionId !== null) await deps.sessions.remove(person.sessionId);
  res.append(
    'Set-Cookie',
    cookieHeader(SESSION_COOKIE, '', { secure: deps.ui.secureCookies, maxAgeSeconds: 0 }),
  );
  res.redirect(303, '/login');
}
