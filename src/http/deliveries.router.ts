import { Router } from 'express';
import { NotFoundError } from '../errors';
import { incidentIdParam } from './params';
import type { Delivery, DeliveryStore } from '../use-cases/notify';
import type { IncidentStore } from '../use-cases/ports';

export interface DeliveriesDeps {
  deliveries: Pick<DeliveryStore, 'listByIncident'>;
  incidents: Pick<IncidentStore, 'findById'>;
}

/** What a delivery shows: its outcome, never the target's URL nor the body sent. */
export function presentDelivery(delivery: Delivery) {
  return {
    id: delivery.id,
    targetId: delivery.targetId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    lastStatusCode: delivery.lastStatusCode,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

/** `GET /api/incidents/:id/deliveries`: the notifications sent about an incident, oldest first. */
export function deliveriesRouter(deps: DeliveriesDeps): Router {
  const router = Router();
  router.get('/:id/deliveries', async (req, res) => {
    const incident = await deps.incidents.findById(incidentIdParam(req));
    if (incident === null) throw new NotFoundError('incident');
    const deliveries = await deps.deliveries.listByIncident(incident.id);
    res.json({ items: deliveries.map(presentDelivery) });
  });
  return router;
}
