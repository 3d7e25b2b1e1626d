import { Router } from 'express';
import { z } from 'zod';
import { parseOr400 } from './validation';
import type { AlertLogQueries } from '../use-cases/ports';
import { presentAlertLogEntry, presentFailedAlertBatch } from '../presenters/alert-log.presenter';
import type { FailedAlerts } from '../queue/failed-alerts';

const querySchema = z
  .strictObject({
    status: z.enum(['received', 'applied', 'held', 'test']).optional(),
    incidentId: z
      .string()
      .regex(/^[0-9a-f]{24}$/, 'is not an incident id')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    // base64url; its length and content are checked where it is decoded (a cursor names a record's id, which
    // may be longer than 200 characters).
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API returned')
      .optional(),
  })
  // Each listing is served by one index: by status, or by incident, not both at once.
  .refine((q) => q.status === undefined || q.incidentId === undefined, {
    path: ['status'],
    message: 'filter by status or by incidentId, not both',
  });

const failedQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/**
 * `GET /api/alert-log`: every accepted alert with its raw payload and parse result, newest first.
 * `GET /api/alert-log/failed`: alert batches in the queue's failed set (their alerts are in no log status of
 * their own: the database may have been what failed); `POST /api/alert-log/failed/retry` re-drives them all.
 */
export function alertLogRouter(deps: { alertLog: AlertLogQueries; failedAlerts: FailedAlerts }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseOr400(querySchema, req.query, 'query');
    const page = await deps.alertLog.list(query);
    res.json({ items: page.items.map(presentAlertLogEntry), nextCursor: page.nextCursor });
  });
  router.get('/failed', async (req, res) => {
    const query = parseOr400(failedQuerySchema, req.query, 'query');
    const page = await deps.failedAlerts.list(query.limit, query.offset);
    const next = query.offset + page.items.length;
    res.json({
      items: page.items.map(presentFailedAlertBatch),
      total: page.total,
      nextOffset: next < page.total && page.items.length > 0 ? next : null,
    });
  });
  router.post('/failed/retry', async (_req, res) => {
    const retried = await deps.failedAlerts.retryAll();
    res.json({ retried });
  });
  return router;
}
