/**
 * Google Cloud Monitoring's words, mapped to ours. Lookups go through Maps keyed by a normalized word
 * (`normalizeWord`), so a word from the payload never reaches an object prototype.
 */
import type { AlertTransition, Severity } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';

/** `incident.state`: `open` while the condition is met, `closed` once it is not (the test sends `OPEN`). */
const TRANSITION_BY_STATE: ReadonlyMap<string, AlertTransition> = new Map<string, AlertTransition>([
  ['open', 'triggered'],
  ['closed', 'recovered'],
]);

/** `incident.severity`, the alerting policy's severity; `No severity` (a policy without one) maps to none. */
const SEVERITY_BY_WORD: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'P1'],
  ['error', 'P2'],
  ['warning', 'P3'],
]);

/**
 * Resource and metric label keys that name the machine an incident is on: a Compute Engine VM's
 * `instance_name` (a metric label; its resource label `instance_id` is a number), a GKE `node_name`, a
 * `pod_name`.
 */
export const NATIVE_HOST_KEYS: readonly string[] = ['instance_name', 'node_name', 'pod_name'];

/** The monitored-resource type whose `resource_display_name` is the VM's name. */
export const VM_RESOURCE_TYPE = 'gce_instance';

/** The `version` of the Cloud Console's "Send test notification" payload (real ones send `1.2`). */
const TEST_VERSION = 'test';

export function transitionFromState(state: string): AlertTransition | null {
  return TRANSITION_BY_STATE.get(normalizeWord(state)) ?? null;
}

export function severityFromWord(word: string | null): Severity | null {
  return word === null ? null : (SEVERITY_BY_WORD.get(normalizeWord(word)) ?? null);
}

export function isTestVersion(version: string | null): boolean {
  return version !== null && normalizeWord(version) === TEST_VERSION;
}
