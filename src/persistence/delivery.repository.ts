import type { Delivery, DeliveryStore, NewDelivery } from '../use-cases/notify';
import type { DeliveryDoc, DeliveryModel } from './delivery.model';

/** Most deliveries one incident can show: a few targets times a few messages times a few redrafts. */
const INCIDENT_LIST_LIMIT = 500;

export class DeliveryRepository implements DeliveryStore {
  constructor(private readonly deliveries: DeliveryModel) {}

  async createIfAbsent(delivery: NewDelivery): Promise<boolean> {
    const result = await this.deliveries.updateOne(
      { _id: delivery.id },
      {
        $setOnInsert: {
          targetId: delivery.targetId,
          event: delivery.event,
          subjectId: delivery.subjectId,
          revision: delivery.revision,
          incidentId: delivery.incidentId,
          body: delivery.body,
          status: 'pending',
          attempts: 0,
          lastError: null,
          lastStatusCode: null,
          createdAt: delivery.createdAt,
          updatedAt: delivery.createdAt,
          deliveredAt: null,
        },
      },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  }

  async findById(id: string): Promise<Delivery | null> {
    const doc = await this.deliveries.findById(id).lean<DeliveryDoc>();
    return doc ? toDelivery(doc) : null;
  }

  async markDelivered(id: string, result: { statusCode: number; at: Date }): Promise<boolean> {
    const updated = await this.deliveries.updateOne(
      { _id: id, status: 'pending' },
      {
        $set: {
          status: 'delivered',
          lastStatusCode: result.statusCode,
          deliveredAt: result.at,
          updatedAt: result.at,
        },
        $inc: { attempts: 1 },
      },
    );
    return updated.matchedCount === 1;
  }

  async recordFailure(
    id: string,
    failure: { error: string; statusCode: number | null; final: boolean; at: Date },
  ): Promise<boolean> {
    const updated = await this.deliveries.updateOne(
      { _id: id, status: 'pending' },
      {
        $set: {
          ...(failure.final ? { status: 'failed' } : {}),
          lastError: failure.error,
          lastStatusCode: failure.statusCode,
          updatedAt: failure.at,
        },
        $inc: { attempts: 1 },
      },
    );
    return updated.matchedCount === 1;
  }

  async listByIncident(incidentId: string): Promise<Delivery[]> {
    const plan = deliveryListPlan(incidentId);
    const docs = await this.deliveries
      .find(plan.filter)
      .sort(plan.sort)
      .limit(INCIDENT_LIST_LIMIT)
      .lean<DeliveryDoc[]>();
    return docs.map(toDelivery);
  }
}

/** The filter and sort of an incident's deliveries; exported so a test can check an index serves them. */
export function deliveryListPlan(incidentId: string): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  return { filter: { incidentId }, sort: { createdAt: 1, _id: 1 } };
}

function toDelivery(doc: DeliveryDoc): Delivery {
  return {
    id: doc._id,
    targetId: doc.targetId,
    event: doc.event,
    subjectId: doc.subjectId,
    revision: doc.revision,
    // `?? null`: FerretDB 1.24 drops null fields of a $setOnInsert upsert (MongoDB keeps them).
    incidentId: doc.incidentId ?? null,
    body: doc.body,
    status: doc.status,
    attempts: doc.attempts,
    lastError: doc.lastError ?? null,
    lastStatusCode: doc.lastStatusCode ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    deliveredAt: doc.deliveredAt ?? null,
  };
}
