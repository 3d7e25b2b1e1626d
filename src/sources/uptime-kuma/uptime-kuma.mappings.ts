/**
 * Uptime Kuma's heartbeat statuses, mapped to ours: 0 DOWN, 1 UP, 2 PENDING (failing, retries left),
 * 3 MAINTENANCE (not tracked). Looked up by the status as text, so no payload value reaches a prototype.
 */
import type { AlertTransition } from '../../domain/alert';

export interface HeartbeatStatus {
  /** Uptime Kuma's own name for the status (its constants DOWN, UP, PENDING, MAINTENANCE). */
  word: string;
  /** Ours, or null for a status we do not track. */
  transition: AlertTransition | null;
}

const STATUS_BY_NUMBER: ReadonlyMap<string, HeartbeatStatus> = new Map<string, HeartbeatStatus>([
  ['0', { word: 'DOWN', transition: 'triggered' }],
  ['1', { word: 'UP', transition: 'recovered' }],
  ['2', { word: 'PENDING', transition: 'warn' }],
  ['3', { word: 'MAINTENANCE', transition: null }],
]);

/** The status a heartbeat's `status` names, or null for a number Uptime Kuma does not send. */
export function heartbeatStatusOf(status: string): HeartbeatStatus | null {
  return STATUS_BY_NUMBER.get(status) ?? null;
}
