import { Router } from 'express';

export interface HealthDeps {
  /** Each dependency's readiness check; all must answer true for /readyz to be 200. */
  checks: Record<string, () => Promise<boolean>>;
}

export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(deps.checks);
    const results = await Promise.all(names.map((name) => deps.checks[name]!().catch(() => false)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'ok' : 'unreachable']));
    const ready = results.every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  return router;
}
