/** Builders for alerts and events in unit tests: only what a test sets differs from a plausible default. */
import type { Alert, AlertTransition } from '../../src/domain/alert';
import type { IncidentEvent } from '../../src/domain/incident';

let counter = 0;

export function makeAlert(overrides: Partial<Alert> & { transition: AlertTransition; at: string }): Alert {
  counter += 1;
  const scope = overrides.scope === undefined ? 'host:web-1' : overrides.scope;
  const groupKey = overrides.groupKey ?? 'datadog:monitor:42';
  return {
    source: 'datadog',
    eventId: `datadog:${counter}`,
    groupKey,
    alertKey: `${groupKey}|${scope ?? '*'}`,
    scope,
    rawTransition: overrides.transition,
    isTest: false,
    atOrigin: 'source',
    title: 'High error rate on web',
    message: '',
    severity: 'P2',
    monitor: {
      id: '42',
      name: 'High error rate on web',
      url: 'https://app.datadoghq.com/monitors/42',
      query: null,
    },
    cycleKey: null,
    services: ['web'],
    hosts: scope?.startsWith('host:') ? [scope.slice(5)] : [],
    tags: [],
    ...overrides,
  };
}

/** An event at `hh:mm` on a fixed day (UTC), for timelines written the way people say them. */
export function at(hhmm: string): string {
  return `2026-06-14T${hhmm}:00.000Z`;
}

export function makeEvent(
  eventId: string,
  alertKey: string,
  transition: AlertTransition,
  hhmm: string,
  receivedHhmm = hhmm,
): IncidentEvent {
  return {
    eventId,
    alertKey,
    scope: alertKey,
    transition,
    rawTransition: transition,
    at: new Date(at(hhmm)),
    receivedAt: new Date(at(receivedHhmm)),
    message: transition,
  };
}
