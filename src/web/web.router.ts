/**
 * The browser UI, served by the API process from the same express app: sign-in, the incidents list, an
 * incident, its postmortem. Pages call the same use-cases as the JSON API. Every page needs a signed-in
 * person; every POST needs that person's CSRF token and, when the browser sends an Origin, our own origin.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { BlockList } from 'node:net';
import { parseCidrs, type UiConfig } from '../../config/ui';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { AnnotateDeps } from '../use-cases/annotate-incident';
import type { EditDeps } from '../use-cases/edit-postmortem';
import type { SessionStore, ShareLinkStore } from '../use-cases/ports';
import { authRoutes, signOut } from './auth.routes';
import { identify, type Person } from './auth/identify';
import { createLoginThrottle, type LoginThrottle } from './auth/login-throttle';
import { sameSecret } from './auth/sessions';
import { incidentPages } from './incidents.pages';
import { insightsPages } from './insights.pages';
import { postmortemPages } from './postmortem.pages';
import { sharePages } from './share.pages';
import { ASSETS_DIR, sendPage } from './views';

export interface WebDeps {
  ui: UiConfig;
  publicUrl: string;
  timezone: string;
  /** The sources served, for the list's filter. */
  sources: readonly string[];
  sessions: SessionStore;
  shareLinks: ShareLinkStore;
  logger: Logger;
  now: () => Date;
  /** The use-cases' dependencies, the same object the JSON API's routers get. */
  people: EditDeps & AnnotateDeps;
  throttle?: LoginThrottle;
}

/** The paths the UI answers (the API, webhooks and health checks are others'). */
export function isPagePath(path: string): boolean {
  return (
    path === '/' ||
    path === '/login' ||
    path === '/logout' ||
    path === '/incidents' ||
    path.startsWith('/incidents/') ||
    path === '/insights' ||
    path === '/insights.csv'
  );
}

/** The signed-in person of a request that passed the sign-in check. */
export function personOf(res: Response): Person {
  return res.locals.person as Person;
}

export function webRouter(deps: WebDeps): Router {
  const router = Router();
  const origin = new URL(deps.publicUrl).origin;
  let trusted: BlockList | null = null;
  if (deps.ui.proxy !== null) {
    const parsed = parseCidrs(deps.ui.proxy.trustedCidrs);
    if ('list' in parsed) trusted = parsed.list;
  }
  const identifyRequest = (req: Request) => identify(req, deps.ui, trusted, deps.sessions);
  const throttle = deps.throttle ?? createLoginThrottle();

  router.use('/assets', express.static(ASSETS_DIR, { index: false, maxAge: '1h', fallthrough: false }));

  // A POST to a page from another site is refused before anything else reads it.
  router.use((req, _res, next) => {
    const given = req.get('origin');
    if (req.method === 'POST' && isPagePath(req.path) && given !== undefined && given !== origin)
      throw new AppError(403, 'cross_origin', 'this form was posted from another site');
    next();
  });

  router.use(
    authRoutes({
      ui: deps.ui,
      sessions: deps.sessions,
      throttle,
      logger: deps.logger,
      now: deps.now,
      identifyRequest,
    }),
  );

  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 50 });
  const signedIn = async (req: Request, res: Response, next: NextFunction) => {
    const person = await identifyRequest(req);
    if (person === null) {
      if (req.method === 'GET' || req.method === 'HEAD')
        res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl.slice(0, 500))}`);
      else throw new AppError(401, 'unauthorized', 'sign in first');
      return;
    }
    res.locals.person = person;
    if (req.method === 'POST') {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = typeof body._csrf === 'string' ? body._csrf : (req.get('x-csrf-token') ?? '');
      if (!sameSecret(token, person.csrfToken))
        throw new AppError(403, 'csrf', 'this form is out of date; reload the page and try again');
    }
    next();
  };
  router.use((req, res, next) => {
    if (!isPagePath(req.path) || req.path === '/login') {
      next();
      return;
    }
    form(req, res, (error?: unknown) => {
      if (error !== undefined) next(error);
      else signedIn(req, res, next).catch(next);
    });
  });

  router.post('/logout', async (_req, res) => {
    await signOut(res, personOf(res), deps);
  });
  router.use(incidentPages(deps));
  router.use(postmortemPages(deps));
  router.use(insightsPages({ ...deps.people, timezone: deps.timezone }));
  router.use(
    sharePages({
      postmortems: deps.people.postmortems,
      actionItems: deps.people.actionItems,
      shareLinks: deps.shareLinks,
      now: deps.now,
      secret: deps.ui.sessionSecret,
      publicUrl: deps.publicUrl,
    }),
  );

  // Errors of page routes are pages too; JSON stays the API's.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/') || res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof AppError;
    const status = known ? error.status : 500;
    if (!known) deps.logger.error({ err: error, method: req.method, path: req.path }, 'page failed');
    const person = (res.locals.person as Person | undefined) ?? null;
    sendPage(
      res,
      'error',
      {
        title: status === 404 ? 'Not found' : 'Something went wrong',
        person,
        status,
        message: known ? error.message : 'internal error',
      },
      status,
    );
  });
  return router;
}
