import { newIncident } from '../../src/domain/incident-building';
import { heldAlertsJoining, routeEvent, type RoutingRules } from '../../src/domain/incident-routing';
import type { Incident } from '../../src/domain/incident';
import type { Alert, AlertTransition } from '../../src/domain/alert';
import { at, makeAlert } from '../helpers/alerts';

const rules: RoutingRules = {
  openingTransitions: new Set(['triggered', 'retriggered']),
  reopenWindowSeconds: 1800,
};
const now = new Date(at('12:00'));

const received = (alert: Alert) => ({ alert, receivedAt: new Date(alert.at) });
function incidentOf(...alerts: Alert[]) {
  return newIncident('inc1', 'datadog:monitor:42', alerts.map(received), rules, now);
}
const ev = (transition: AlertTransition, hhmm: string, eventId = `e-${hhmm}-${transition}`) => ({
  eventId,
  transition,
  at: new Date(at(hhmm)),
});

describe('routeEvent', () => {
  // Built afresh for each test, not when the file loads: mutation testing then knows which tests use it.
  let resolved: Incident;
  beforeEach(() => {
    resolved = incidentOf(
      makeAlert({ transition: 'triggered', at: at('10:02') }),
      makeAlert({ transition: 'recovered', at: at('10:49') }),
    );
  });

  it('when nothing is current and the alert triggers, then an incident opens', () => {
    expect(routeEvent(null, ev('triggered', '10:00'), rules)).toEqual({ action: 'open', retire: null });
  });

  it('when nothing is current and a recovery or warning comes, then it is held', () => {
    expect(routeEvent(null, ev('recovered', '10:00'), rules).action).toBe('hold');
    expect(routeEvent(null, ev('warn', '10:00'), rules).action).toBe('hold');
    expect(routeEvent(null, ev('no_data', '10:00'), rules).action).toBe('hold');
  });

  it('when warnings are configured to open, then a warning opens', () => {
    const warnOpens = {
      ...rules,
      openingTransitions: new Set<AlertTransition>(['triggered', 'retriggered', 'warn']),
    };
    expect(routeEvent(null, ev('warn', '10:00'), warnOpens).action).toBe('open');
  });

  it('when the incident already has the event, then it is a duplicate', () => {
    const eventId = resolved.events[0]!.eventId;
    expect(routeEvent(resolved, ev('triggered', '10:02', eventId), rules).action).toBe('duplicate');
  });

  it('when the incident is open, then every event of the group joins it', () => {
    const open = incidentOf(makeAlert({ transition: 'triggered', at: at('10:02') }));
    for (const t of ['triggered', 'recovered', 'warn', 'no_data'] as const) {
      expect(routeEvent(open, ev(t, '10:30'), rules)).toMatchObject({ action: 'append' });
    }
  });

  it('when a late event predates the resolution, then it joins the resolved incident', () => {
    expect(routeEvent(resolved, ev('retriggered', '10:30'), rules).action).toBe('append');
  });

  it('when a trigger comes within the reopen window, then it joins (and so reopens) the incident', () => {
    expect(routeEvent(resolved, ev('triggered', '11:19'), rules).action).toBe('append');
  });

  it('when a trigger comes after the reopen window, then a new incident opens and the old one retires', () => {
    expect(routeEvent(resolved, ev('triggered', '11:20'), rules)).toEqual({
      action: 'open',
      retire: resolved,
    });
  });

  it('when a recovery comes after the reopen window, then it is held for the incident its trigger will open', () => {
    expect(routeEvent(resolved, ev('recovered', '11:30'), rules).action).toBe('hold');
  });
});

describe('heldAlertsJoining', () => {
  const alertAt = (transition: AlertTransition, hhmm: string, host = 'web-1') =>
    makeAlert({ transition, at: at(hhmm), scope: `host:${host}` });
  const joining = (incident: Incident, ...held: Alert[]) =>
    heldAlertsJoining(incident, held.map(received), rules).map((r) => r.alert);

  it('when the incident is open, then it takes the held alerts oldest first, up to its reopen window after one resolves it', () => {
    const open = incidentOf(alertAt('triggered', '10:00'));
    const warn = alertAt('warn', '10:20');
    const recovered = alertAt('recovered', '10:05');
    const inWindow = alertAt('recovered', '10:35', 'web-2');
    const pastWindow = alertAt('recovered', '10:36', 'web-3');
    expect(joining(open, pastWindow, warn, inWindow, recovered)).toEqual([recovered, warn, inWindow]);
  });

  it('when the incident is resolved, then it takes late history and alerts within its reopen window only', () => {
    // Resolved at 10:49: its window ends at 11:19.
    const resolved = incidentOf(alertAt('triggered', '10:02'), alertAt('recovered', '10:49'));
    const late = alertAt('recovered', '10:30', 'web-2');
    const inWindow = alertAt('warn', '11:19');
    const pastWindow = alertAt('recovered', '11:20');
    expect(joining(resolved, pastWindow, inWindow, late)).toEqual([late, inWindow]);
  });

  it('when a held alert is older than the reopen window before detection, then the incident does not take it', () => {
    const open = incidentOf(alertAt('triggered', '10:00'));
    const old = alertAt('recovered', '09:29');
    const recent = alertAt('recovered', '09:30', 'web-2');
    expect(joining(open, old, recent)).toEqual([recent]);
  });

  it('when the incident has the held alert already, then it does not take it again', () => {
    const recovered = alertAt('recovered', '10:05');
    const resolved = incidentOf(alertAt('triggered', '10:00'), recovered);
    expect(joining(resolved, recovered)).toEqual([]);
  });

  it('when a held alert opens (the rules changed since it was held) past the window, then it is left for its own incident', () => {
    const warnOpens = {
      ...rules,
      openingTransitions: new Set<AlertTransition>(['triggered', 'retriggered', 'warn']),
    };
    const resolved = incidentOf(alertAt('triggered', '10:00'), alertAt('recovered', '10:10'));
    const warn = alertAt('warn', '10:41');
    expect(heldAlertsJoining(resolved, [received(warn)], warnOpens)).toEqual([]);
  });
});
