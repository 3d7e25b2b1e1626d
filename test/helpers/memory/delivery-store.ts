/** DeliveryStore and NotificationQueue in memory, with the contracts of DeliveryRepository and the publisher. */
import type { Delivery, DeliveryStore, NewDelivery, NotificationQueue } from '../../../src/use-cases/notify';
import { copy } from './races';

export const INCIDENT_LIST_LIMIT = 500;

export class MemoryDeliveryStore implements DeliveryStore {
  private readonly docs = new Map<string, Delivery>();

  async createIfAbsent(delivery: NewDelivery): Promise<boolean> {
    if (this.docs.has(delivery.id)) return false;
    this.docs.set(delivery.id, {
      ...copy(delivery),
      status: 'pending',
      attempts: 0,
      lastError: null,
      lastStatusCode: null,
      updatedAt: new Date(delivery.createdAt),
      deliveredAt: null,
    });
    return true;
  }

  async findById(id: string): Promise<Delivery | null> {
    const found = this.docs.get(id);
    return found ? copy(found) : null;
  }

  async markDelivered(id: string, result: { statusCode: number; at: Date }): Promise<boolean> {
    const pending = this.pending(id);
    if (pending === null) return false;
    this.docs.set(id, {
      ...pending,
      status: 'delivered',
      attempts: pending.attempts + 1,
      lastStatusCode: result.statusCode,
      deliveredAt: new Date(result.at),
      updatedAt: new Date(result.at),
    });
    return true;
  }

  async recordFailure(
    id: string,
    failure: { error: string; statusCode: number | null; final: boolean; at: Date },
  ): Promise<boolean> {
    const pending = this.pending(id);
    if (pending === null) return false;
    this.docs.set(id, {
      ...pending,
      status: failure.final ? 'failed' : 'pending',
      attempts: pending.attempts + 1,
      lastError: failure.error,
      lastStatusCode: failure.statusCode,
      updatedAt: new Date(failure.at),
    });
    return true;
  }

  /** Oldest first, then by id. */
  async listByIncident(incidentId: string): Promise<Delivery[]> {
    return [...this.docs.values()]
      .filter((d) => d.incidentId === incidentId)
      .sort(
        (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .slice(0, INCIDENT_LIST_LIMIT)
      .map((d) => copy(d));
  }

  /** For assertions: every delivery, in creation order. */
  all(): Delivery[] {
    return [...this.docs.values()].map((d) => copy(d));
  }

  private pending(id: string): Delivery | null {
    const found = this.docs.get(id);
    return found?.status === 'pending' ? found : null;
  }
}

/** Records what was enqueued: one entry per enqueue call, with the ids it was given. */
export class MemoryNotificationQueue implements NotificationQueue {
  readonly batches: string[][] = [];

  async enqueue(deliveryIds: readonly string[]): Promise<void> {
    this.batches.push([...deliveryIds]);
  }
}
