/**
 * Scheduling a notification: one delivery per (message, target subscribed to its event), each its own job, so
 * a target that is down never holds up the others. Idempotent: scheduling the same message and revision again
 * creates no delivery and, while BullMQ remembers the job, enqueues nothing; the processor skips deliveries
 * that are no longer pending.
 */
import type { NotifyTarget } from '../../config/targets';
import {
  incidentIdOf,
  renderForTarget,
  type NotificationEvent,
  type NotificationMessage,
} from '../domain/notification-messages';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: string;
  targetId: string;
  event: NotificationEvent;
  subjectId: string;
  revision: number;
  incidentId: string | null;
  /** The request body as JSON text. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export type NewDelivery = Pick<
  Delivery,
  'id' | 'targetId' | 'event' | 'subjectId' | 'revision' | 'incidentId' | 'body' | 'createdAt'
>;

export interface DeliveryStore {
  /** Inserts a pending delivery unless one with its id exists; true if this call created it. */
  createIfAbsent(delivery: NewDelivery): Promise<boolean>;
  findById(id: string): Promise<Delivery | null>;
  /** Counts the attempt and marks the delivery delivered, if it is still pending; false otherwise. */
  markDelivered(id: string, result: { statusCode: number; at: Date }): Promise<boolean>;
  /** Counts a failed attempt of a pending delivery; `final` marks it failed. False if it was not pending. */
  recordFailure(
    id: string,
    failure: { error: string; statusCode: number | null; final: boolean; at: Date },
  ): Promise<boolean>;
  /** An incident's deliveries, oldest first. */
  listByIncident(incidentId: string): Promise<Delivery[]>;
}

export interface NotificationQueue {
  /** One `notification.deliver` job per delivery; resolves once Redis has them. */
  enqueue(deliveryIds: readonly string[]): Promise<void>;
}

export interface NotifyDeps {
  targets: readonly NotifyTarget[];
  deliveries: Pick<DeliveryStore, 'createIfAbsent'>;
  queue: NotificationQueue;
  now: () => Date;
}

const SUBJECT_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export function deliveryIdOf(
  message: Pick<NotificationMessage, 'event' | 'subjectId'>,
  revision: number,
  targetId: string,
): string {
  return `${message.event}|${message.subjectId}|${revision}|${targetId}`;
}

/**
 * Creates the deliveries of `message` (one per subscribed target) and queues them. `revision` tells a new
 * version of the message (e.g. the incident's resolutionCount for a redrafted postmortem) from a retry of the
 * same one. Returns the delivery ids, also those that existed already.
 */
/** The targets that take `event`. */
export function subscribersOf<T extends { events: readonly string[] }>(
  targets: readonly T[],
  event: string,
): T[] {
  return targets.filter((t) => t.events.includes(event));
}

export async function scheduleNotification(
  deps: NotifyDeps,
  message: NotificationMessage,
  revision: number,
): Promise<string[]> {
  if (!SUBJECT_ID.test(message.subjectId))
    throw new Error(`notification subjectId must match ${String(SUBJECT_ID)}`);
  if (!Number.isSafeInteger(revision) || revision < 0)
    throw new Error('notification revision must be a non-negative integer');
  const targets = subscribersOf(deps.targets, message.event);
  if (targets.length === 0) return [];
  const now = deps.now();
  const incidentId = incidentIdOf(message);
  const ids: string[] = [];
  for (const target of targets) {
    const id = deliveryIdOf(message, revision, target.id);
    await deps.deliveries.createIfAbsent({
      id,
      targetId: target.id,
      event: message.event,
      subjectId: message.subjectId,
      revision,
      incidentId,
      body: JSON.stringify(renderForTarget(target.type, message, now)),
      createdAt: now,
    });
    ids.push(id);
  }
  await deps.queue.enqueue(ids);
  return ids;
}
