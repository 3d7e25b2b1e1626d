import { Router } from 'express';
import { z } from 'zod';
import { formatDate } from '../domain/time-format';
import { presentActionItem } from '../presenters/action-item.presenter';
import type { ActionItemStore } from '../use-cases/ports';
import { parseOr400 } from './validation';

const query = z.strictObject({
  status: z.enum(['open', 'done']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

/** `GET /api/action-items?status=open&overdue=true`: follow-up across incidents, earliest deadline first. */
export function actionItemsRouter(deps: {
  actionItems: ActionItemStore;
  timezone: string;
  now: () => Date;
}): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseOr400(query, req.query, 'query');
    const overdue = q.overdue === 'true';
    // "Overdue" is a calendar question, answered in the team's time zone.
    const today = formatDate(deps.now(), deps.timezone);
    const items = await deps.actionItems.list({
      status: overdue ? 'open' : q.status,
      overdueBefore: overdue ? today : undefined,
    });
    res.json({ items: items.map(presentActionItem), today });
  });
  return router;
}
