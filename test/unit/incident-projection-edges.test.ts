/** Edges of the projection: ties in time, which transitions open, the timeline's entries and alerts' times. */
import type { IncidentEvent } from '../../src/domain/incident';
import {
  compareEvents,
  isOpening,
  projectIncident,
  type ProjectionRules,
} from '../../src/domain/incident-projection';
import { at, makeEvent } from '../helpers/alerts';

function rules(): ProjectionRules {
  return { openingTransitions: new Set(['triggered', 'retriggered']) };
}

describe('compareEvents', () => {
  it('when two events share the monitor time and the arrival time, then the smaller id sorts first', () => {
    const a = makeEvent('a', 'web-1', 'triggered', '10:02');
    const b = makeEvent('b', 'web-2', 'triggered', '10:02');
    expect(compareEvents(a, b)).toBeLessThan(0);
    expect(compareEvents(b, a)).toBeGreaterThan(0);
  });

  it('when two events have the same id and the same times, then neither sorts first', () => {
    const a = makeEvent('a', 'web-1', 'triggered', '10:02');
    expect(compareEvents(a, { ...a })).toBe(0);
  });

  it('when simultaneous events arrive in any order, then the timeline lists them by id', () => {
    const events: IncidentEvent[] = [
      makeEvent('c', 'web-3', 'triggered', '10:02'),
      makeEvent('a', 'web-1', 'triggered', '10:02'),
      makeEvent('b', 'web-2', 'triggered', '10:02'),
    ];
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 0, 2],
    ]) {
      const p = projectIncident(
        order.map((i) => events[i]!),
        rules(),
      );
      expect(p.timeline.map((t) => t.key)).toEqual(['event:a', 'event:b', 'event:c']);
    }
  });
});

describe('isOpening', () => {
  it('when the rules name only warnings, then triggered and retriggered still open, and warnings too', () => {
    const warnOnly: ProjectionRules = { openingTransitions: new Set(['warn']) };
    expect(isOpening('triggered', warnOnly)).toBe(true);
    expect(isOpening('retriggered', warnOnly)).toBe(true);
    expect(isOpening('warn', warnOnly)).toBe(true);
    expect(isOpening('no_data', warnOnly)).toBe(false);
    expect(isOpening('recovered', warnOnly)).toBe(false);
  });

  it('when the rules name no transition, then a trigger still opens the incident', () => {
    const p = projectIncident([makeEvent('t', 'web-1', 'retriggered', '10:02')], {
      openingTransitions: new Set(),
    });
    expect(p.status).toBe('open');
  });
});

describe('projectIncident edges', () => {
  it('when there is no event, then it refuses', () => {
    expect(() => projectIncident([], rules())).toThrow('an incident has at least one event');
  });

  it('when an incident resolves and reopens, then the timeline entries carry keys and messages of their events', () => {
    const p = projectIncident(
      [
        makeEvent('t1', 'web-1', 'triggered', '10:02'),
        makeEvent('r1', 'web-1', 'recovered', '10:10'),
        makeEvent('t2', 'web-1', 'retriggered', '10:20'),
      ],
      rules(),
    );
    expect(p.timeline.map((t) => [t.key, t.kind, t.alertKey, t.message, t.at])).toEqual([
      ['event:t1', 'triggered', 'web-1', 'triggered', new Date(at('10:02'))],
      ['event:r1', 'recovered', 'web-1', 'recovered', new Date(at('10:10'))],
      ['resolved:r1', 'resolved', 'web-1', 'All alerts recovered', new Date(at('10:10'))],
      ['event:t2', 'retriggered', 'web-1', 'retriggered', new Date(at('10:20'))],
      ['reopened:t2', 'reopened', 'web-1', 'Incident reopened', new Date(at('10:20'))],
    ]);
  });

  it('when an alert is only seen recovering, then it shows that recovery time and no trigger', () => {
    const p = projectIncident([makeEvent('r', 'web-1', 'recovered', '10:49')], rules());
    expect(p.alerts).toEqual([
      {
        key: 'web-1',
        scope: 'web-1',
        status: 'recovered',
        triggeredAt: null,
        recoveredAt: new Date(at('10:49')),
      },
    ]);
  });

  it('when a warning follows a recovery, then the alert warns and shows no recovery time', () => {
    const p = projectIncident(
      [
        makeEvent('t', 'web-1', 'triggered', '10:00'),
        makeEvent('r', 'web-1', 'recovered', '10:10'),
        makeEvent('w', 'web-1', 'warn', '10:15'),
      ],
      rules(),
    );
    expect(p.alerts).toEqual([
      { key: 'web-1', scope: 'web-1', status: 'warn', triggeredAt: new Date(at('10:00')), recoveredAt: null },
    ]);
  });

  it('when an alert first comes without a scope and a later event names it, then the alert shows that scope', () => {
    const first = { ...makeEvent('t', 'web-1', 'triggered', '10:00'), scope: null };
    const later = { ...makeEvent('w', 'web-1', 'warn', '10:05'), scope: 'host:web-1' };
    expect(projectIncident([first, later], rules()).alerts[0]!.scope).toBe('host:web-1');
  });

  it('when an alert has a scope and a later event comes without one, then the alert keeps its scope', () => {
    const first = { ...makeEvent('t', 'web-1', 'triggered', '10:00'), scope: 'host:web-1' };
    const later = { ...makeEvent('w', 'web-1', 'warn', '10:05'), scope: null };
    expect(projectIncident([first, later], rules()).alerts[0]!.scope).toBe('host:web-1');
  });
});
