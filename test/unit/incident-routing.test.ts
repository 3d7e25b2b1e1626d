import { newIncident } from '../../src/domain/incident-building';
import { routeEvent, type RoutingRules } from '../../src/domain/incident-routing';
import type { Incident } from '../../src/domain/incident';
import type { AlertTransition } from '../../src/domain/alert';
import { at, makeAlert } from '../helpers/alerts';

const rules: RoutingRules = {
  openingTransitions: new Set(['triggered', 'retriggered']),
  reopenWindowSeconds: 1800,
};
const now = new Date(at('12:00'));

function incidentOf(...alerts: ReturnType<typeof makeAlert>[]) {
  return newIncident(
    'inc1',
    'datadog:monitor:42',
    alerts.map((alert) => ({ alert, receivedAt: new Date(alert.at) })),
    rules,
    now,
  );
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
