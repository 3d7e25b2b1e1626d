import { projectIncident, type ProjectionRules } from '../../src/domain/incident-projection';
import { at, makeEvent } from '../helpers/alerts';

const rules: ProjectionRules = { openingTransitions: new Set(['triggered', 'retriggered']) };

describe('projectIncident', () => {
  const multiHost = [
    makeEvent('a', 'web-1', 'triggered', '10:02'),
    makeEvent('b', 'web-2', 'triggered', '10:03'),
    makeEvent('c', 'web-2', 'recovered', '10:24'),
    makeEvent('d', 'web-1', 'recovered', '10:49'),
  ];

  it('when web-2 recovers while web-1 still alerts, then the incident stays open', () => {
    const p = projectIncident(multiHost.slice(0, 3), rules);
    expect(p.status).toBe('open');
    expect(p.resolvedAt).toBeNull();
    expect(p.durationSeconds).toBeNull();
    expect(p.alerts.find((a) => a.key === 'web-2')).toMatchObject({
      status: 'recovered',
      recoveredAt: new Date(at('10:24')),
    });
  });

  it('when the last alert recovers, then it resolves at that time after 47 minutes', () => {
    const p = projectIncident(multiHost, rules);
    expect(p.status).toBe('resolved');
    expect(p.detectedAt).toEqual(new Date(at('10:02')));
    expect(p.resolvedAt).toEqual(new Date(at('10:49')));
    expect(p.durationSeconds).toBe(47 * 60);
    expect(p.resolutionCount).toBe(1);
    expect(p.timeline.map((t) => t.kind)).toEqual([
      'triggered',
      'triggered',
      'recovered',
      'recovered',
      'resolved',
    ]);
  });

  it('when the events arrive in any order, then state and timeline are the same', () => {
    const reference = projectIncident(multiHost, rules);
    const orders = [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    for (const order of orders) {
      const p = projectIncident(
        order.map((i) => multiHost[i]!),
        rules,
      );
      expect(p).toEqual(reference);
    }
  });

  it('when a recovery is known before its trigger, then the duration is never negative', () => {
    const p = projectIncident([makeEvent('r', 'web-1', 'recovered', '10:49')], rules);
    expect(p.status).toBe('resolved');
    expect(p.durationSeconds).toBe(0);
  });

  it('when a stale trigger sorts before its recovery, then it reopens nothing', () => {
    const p = projectIncident(
      [
        makeEvent('t', 'web-1', 'triggered', '10:02'),
        makeEvent('r', 'web-1', 'recovered', '10:49'),
        makeEvent('late', 'web-1', 'retriggered', '10:30', '11:00'),
      ],
      rules,
    );
    expect(p.status).toBe('resolved');
    expect(p.resolvedAt).toEqual(new Date(at('10:49')));
    expect(p.timeline.filter((t) => t.kind === 'reopened')).toHaveLength(0);
  });

  it('when an alert triggers again after resolution, then the incident reopens with a reopened entry', () => {
    const p = projectIncident(
      [
        makeEvent('t1', 'web-1', 'triggered', '10:02'),
        makeEvent('r1', 'web-1', 'recovered', '10:10'),
        makeEvent('t2', 'web-1', 'triggered', '10:20'),
      ],
      rules,
    );
    expect(p.status).toBe('open');
    expect(p.detectedAt).toEqual(new Date(at('10:02')));
    expect(p.resolutionCount).toBe(1);
    expect(p.timeline.map((t) => t.kind)).toEqual([
      'triggered',
      'recovered',
      'resolved',
      'triggered',
      'reopened',
    ]);
    expect(p.alerts[0]).toMatchObject({
      status: 'triggered',
      triggeredAt: new Date(at('10:20')),
      recoveredAt: null,
    });
  });

  it('when a triggered alert drops to warn, then the incident stays open until Recovered', () => {
    const p = projectIncident(
      [makeEvent('t', 'web-1', 'triggered', '10:02'), makeEvent('w', 'web-1', 'warn', '10:05')],
      rules,
    );
    expect(p.status).toBe('open');
    expect(p.alerts[0]?.status).toBe('warn');
  });

  it('when warnings do not open incidents, then a warning before the trigger is on the timeline but detection is the trigger', () => {
    const p = projectIncident(
      [makeEvent('w', 'web-1', 'warn', '09:58'), makeEvent('t', 'web-1', 'triggered', '10:02')],
      rules,
    );
    expect(p.detectedAt).toEqual(new Date(at('10:02')));
    expect(p.timeline.map((t) => t.kind)).toEqual(['warn', 'triggered']);
  });

  it('when warnings are configured to open incidents, then a warning alone keeps it open', () => {
    const p = projectIncident([makeEvent('w', 'web-1', 'warn', '09:58')], {
      openingTransitions: new Set(['triggered', 'retriggered', 'warn']),
    });
    expect(p.status).toBe('open');
    expect(p.detectedAt).toEqual(new Date(at('09:58')));
  });

  it('when two events share a time, then the order is settled by arrival and is deterministic', () => {
    const a = makeEvent('x', 'web-1', 'triggered', '10:00', '10:00');
    const b = makeEvent('y', 'web-1', 'recovered', '10:00', '10:01');
    expect(projectIncident([b, a], rules)).toEqual(projectIncident([a, b], rules));
    expect(projectIncident([b, a], rules).status).toBe('resolved');
  });
});
