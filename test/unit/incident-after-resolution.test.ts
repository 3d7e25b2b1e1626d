/**
 * What an incident becomes once resolved, as the monitors keep talking within the reopen window: late No Data,
 * repeated recoveries, mixed severities. The resolution's time and the incident's severity must not drift.
 */
import { appendAlerts, factsFromAlerts, newIncident } from '../../src/domain/incident-building';
import { routeEvent, type RoutingRules } from '../../src/domain/incident-routing';
import { projectIncident } from '../../src/domain/incident-projection';
import type { Alert } from '../../src/domain/alert';
import { at, makeAlert, makeEvent } from '../helpers/alerts';

const rules: RoutingRules = {
  openingTransitions: new Set(['triggered', 'retriggered']),
  reopenWindowSeconds: 1800,
};
const now = new Date('2026-06-14T12:00:00.000Z');
const received = (alert: Alert) => ({ alert, receivedAt: new Date(alert.at) });

describe('an incident after its resolution', () => {
  it('when No Data arrives five minutes after the resolution, then the duration stays 600 s', () => {
    const p = projectIncident(
      [
        makeEvent('t', 'web-1', 'triggered', '10:00'),
        makeEvent('r', 'web-1', 'recovered', '10:10'),
        makeEvent('n', 'web-1', 'no_data', '10:15'),
      ],
      rules,
    );
    expect(p.status).toBe('resolved');
    expect(p.resolvedAt).toEqual(new Date(at('10:10')));
    expect(p.durationSeconds).toBe(600);
    expect(p.timeline.map((t) => t.kind)).toEqual(['triggered', 'recovered', 'resolved', 'no_data']);
  });

  it('when the recovery is sent again later, then the resolution and the alert keep the first recovery', () => {
    const p = projectIncident(
      [
        makeEvent('t', 'web-1', 'triggered', '10:00'),
        makeEvent('r1', 'web-1', 'recovered', '10:10'),
        makeEvent('r2', 'web-1', 'recovered', '10:20'),
      ],
      rules,
    );
    expect(p.resolvedAt).toEqual(new Date(at('10:10')));
    expect(p.durationSeconds).toBe(600);
    expect(p.resolutionCount).toBe(1);
    expect(p.alerts).toEqual([
      {
        key: 'web-1',
        scope: 'web-1',
        status: 'recovered',
        triggeredAt: new Date(at('10:00')),
        recoveredAt: new Date(at('10:10')),
      },
    ]);
  });

  it('when late No Data and a repeated recovery reach a resolved incident within the window, then they join it and change neither its end nor its duration', () => {
    const trigger = makeAlert({ transition: 'triggered', at: at('10:00') });
    const recovery = makeAlert({ transition: 'recovered', at: at('10:10') });
    const resolved = newIncident(
      'inc',
      trigger.groupKey,
      [received(trigger), received(recovery)],
      rules,
      now,
    );
    expect(resolved.durationSeconds).toBe(600);

    let incident = resolved;
    for (const later of [
      makeAlert({ transition: 'no_data', at: at('10:15') }),
      makeAlert({ transition: 'recovered', at: at('10:25') }),
    ]) {
      const routing = routeEvent(
        incident,
        { eventId: later.eventId, transition: later.transition, at: new Date(later.at) },
        rules,
      );
      expect(routing.action).toBe('append');
      incident = appendAlerts(incident, [received(later)], rules, now).next;
    }
    expect(incident.events).toHaveLength(4);
    expect(incident.status).toBe('resolved');
    expect(incident.resolvedAt).toEqual(new Date(at('10:10')));
    expect(incident.durationSeconds).toBe(600);
    expect(incident.resolutionCount).toBe(1);
    expect(incident.version).toBe(2);
  });
});

describe('an incident of mixed severities', () => {
  it('when a P1 is followed by a P3, then the incident stays P1', () => {
    const p1 = makeAlert({ transition: 'triggered', at: at('10:00'), severity: 'P1' });
    const p3 = makeAlert({ transition: 'triggered', at: at('10:01'), severity: 'P3', scope: 'host:web-2' });
    const incident = newIncident('inc', p1.groupKey, [received(p1)], rules, now);
    expect(incident.severity).toBe('P1');
    expect(appendAlerts(incident, [received(p3)], rules, now).next.severity).toBe('P1');
  });

  it('when a P3 is followed by a P1, then the incident becomes P1', () => {
    const p3 = makeAlert({ transition: 'triggered', at: at('10:00'), severity: 'P3' });
    const p1 = makeAlert({ transition: 'retriggered', at: at('10:01'), severity: 'P1' });
    const incident = newIncident('inc', p3.groupKey, [received(p3)], rules, now);
    expect(incident.severity).toBe('P3');
    expect(appendAlerts(incident, [received(p1)], rules, now).next.severity).toBe('P1');
  });

  it('when the later alert has no severity, then the known one is kept', () => {
    const p2 = makeAlert({ transition: 'triggered', at: at('10:00'), severity: 'P2' });
    const none = makeAlert({ transition: 'recovered', at: at('10:05'), severity: null });
    expect(factsFromAlerts([p2, none]).severity).toBe('P2');
    expect(factsFromAlerts([none, p2]).severity).toBe('P2');
    expect(factsFromAlerts([none]).severity).toBeNull();
  });

  it('when alerts of several severities open an incident together, then the most severe wins whatever their order', () => {
    const severities = ['P4', 'P2', 'P5', 'P3'] as const;
    const alerts = severities.map((severity, i) =>
      makeAlert({ transition: 'triggered', at: at(`10:0${i}`), severity }),
    );
    expect(factsFromAlerts(alerts).severity).toBe('P2');
    expect(factsFromAlerts([...alerts].reverse()).severity).toBe('P2');
  });
});
