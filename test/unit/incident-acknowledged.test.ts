/** `acknowledged` from a source (PagerDuty, Opsgenie, New Relic, Zabbix): on the timeline, in no alert's state. */
import { appendAlerts, newIncident } from '../../src/domain/incident-building';
import { projectIncident, type ProjectionRules } from '../../src/domain/incident-projection';
import { draftPostmortemFacts } from '../../src/domain/postmortem-draft';
import { acknowledge } from '../../src/domain/incident-building';
import { routeEvent } from '../../src/domain/incident-routing';
import { at, makeAlert, makeEvent } from '../helpers/alerts';

const rules: ProjectionRules = { openingTransitions: new Set(['triggered', 'retriggered']) };
const NOW = new Date('2026-06-14T12:00:00Z');

describe('projectIncident with acknowledgements from the source', () => {
  it('when an open alert is acknowledged, then the incident stays open, the alert keeps firing and the timeline says so', () => {
    const p = projectIncident(
      [makeEvent('t', 'web-1', 'triggered', '10:00'), makeEvent('a', 'web-1', 'acknowledged', '10:04')],
      rules,
    );
    expect(p.status).toBe('open');
    expect(p.alerts).toEqual([
      expect.objectContaining({ key: 'web-1', status: 'triggered', recoveredAt: null }),
    ]);
    expect(p.timeline.map((t) => [t.kind, t.key])).toEqual([
      ['triggered', 'event:t'],
      ['acknowledged', 'event:a'],
    ]);
  });

  it('when the acknowledgement names an alert the incident never saw, then it adds no alert', () => {
    const p = projectIncident(
      [makeEvent('t', 'web-1', 'triggered', '10:00'), makeEvent('a', 'web-9', 'acknowledged', '10:01')],
      rules,
    );
    expect(p.alerts.map((a) => a.key)).toEqual(['web-1']);
  });

  it('when an acknowledgement comes between trigger and recovery, then the incident still resolves at the recovery', () => {
    const p = projectIncident(
      [
        makeEvent('t', 'web-1', 'triggered', '10:00'),
        makeEvent('a', 'web-1', 'acknowledged', '10:04'),
        makeEvent('r', 'web-1', 'recovered', '10:30'),
      ],
      rules,
    );
    expect([p.status, p.resolvedAt, p.durationSeconds]).toEqual(['resolved', new Date(at('10:30')), 1800]);
  });

  it('when an acknowledgement arrives after the recovery, then it neither reopens nor moves the resolution', () => {
    const p = projectIncident(
      [
        makeEvent('t', 'web-1', 'triggered', '10:00'),
        makeEvent('r', 'web-1', 'recovered', '10:30'),
        makeEvent('a', 'web-1', 'acknowledged', '10:31'),
      ],
      rules,
    );
    expect([p.status, p.resolvedAt, p.resolutionCount]).toEqual(['resolved', new Date(at('10:30')), 1]);
  });
});

describe('routing and drafting with acknowledgements from the source', () => {
  it('when an acknowledgement arrives with nothing open, then it is held, not opened', () => {
    const event = { eventId: 'x', transition: 'acknowledged' as const, at: new Date(at('10:00')) };
    expect(routeEvent(null, event, { ...rules, reopenWindowSeconds: 0 }).action).toBe('hold');
  });

  it('when the source acknowledged 4 minutes after detection and a person 10 minutes after, then time to acknowledge is 4 minutes', () => {
    const trigger = makeAlert({ transition: 'triggered', at: at('10:00') });
    const ack = makeAlert({ transition: 'acknowledged', at: at('10:04'), scope: trigger.scope });
    const recovery = makeAlert({ transition: 'recovered', at: at('10:30'), scope: trigger.scope });
    const opened = newIncident('inc-1', trigger.groupKey, [{ alert: trigger, receivedAt: NOW }], rules, NOW);
    const grown = appendAlerts(
      opened,
      [ack, recovery].map((alert) => ({ alert, receivedAt: NOW })),
      rules,
      NOW,
    ).next;
    const byPerson = acknowledge(grown, { by: 'alice', at: new Date(at('10:10')), receivedAt: NOW }, NOW);
    const facts = draftPostmortemFacts(byPerson, { timezone: 'UTC', incidentUrl: 'https://h.example/i/1' });
    expect(facts.figures.timeToAcknowledgeSeconds).toBe(240);
    // Both acknowledgements stay on the timeline: the person's entry does not replace the source's.
    expect(byPerson.timeline.filter((t) => t.kind === 'acknowledged').map((t) => t.key)).toEqual([
      `event:${ack.eventId}`,
      'ack:alice',
    ]);
  });

  it('when only a person acknowledged, then the source events do not count as one', () => {
    const trigger = makeAlert({ transition: 'triggered', at: at('10:00') });
    const recovery = makeAlert({ transition: 'recovered', at: at('10:30'), scope: trigger.scope });
    const opened = newIncident('inc-2', trigger.groupKey, [{ alert: trigger, receivedAt: NOW }], rules, NOW);
    const resolved = appendAlerts(opened, [{ alert: recovery, receivedAt: NOW }], rules, NOW).next;
    const facts = draftPostmortemFacts(resolved, { timezone: 'UTC', incidentUrl: 'https://h.example/i/2' });
    expect(facts.figures.timeToAcknowledgeSeconds).toBeNull();
  });
});
