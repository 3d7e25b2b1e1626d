/**
 * advanceProjection: an incident's projection advanced by later events, from the projection alone, is what
 * projecting all its events gives (its timeline then the later events' entries), whatever the events; and it
 * refuses what it cannot do alone (an event not later than the last, an incident over its alert limit).
 */
import type { AlertTransition } from '../../src/domain/alert';
import type { IncidentEvent } from '../../src/domain/incident';
import {
  advanceProjection,
  canAdvance,
  compareEvents,
  INCIDENT_ALERT_LIMIT,
  projectIncident,
  type ProjectionRules,
} from '../../src/domain/incident-projection';
import { randomInt, seededRandom } from '../helpers/random';

const RULES: ProjectionRules = { openingTransitions: new Set<AlertTransition>() };
const WARN_OPENS: ProjectionRules = { openingTransitions: new Set<AlertTransition>(['warn', 'no_data']) };
const TRANSITIONS: AlertTransition[] = [
  'triggered',
  'retriggered',
  'warn',
  'no_data',
  'recovered',
  'recovered',
  'acknowledged',
];
const BASE = Date.parse('2026-06-14T10:00:00Z');

function event(n: number, alert: number, transition: AlertTransition, minute: number): IncidentEvent {
  return {
    eventId: `e${n}`,
    alertKey: `monitor|host:${alert}`,
    scope: alert === 0 ? null : `host:${alert}`,
    transition,
    rawTransition: transition,
    at: new Date(BASE + minute * 60_000),
    receivedAt: new Date(BASE + minute * 60_000 + (n % 7) * 1000),
    message: `${transition} on host:${alert}`,
  };
}

describe('advanceProjection', () => {
  it('when an incident is advanced by its later events, then it is what projecting them all gives, for any events and any split', () => {
    const random = seededRandom();
    for (let round = 0; round < 400; round += 1) {
      const rules = round % 3 === 0 ? WARN_OPENS : RULES;
      const count = randomInt(random, 2, 40);
      const events = Array.from({ length: count }, (_, n) =>
        event(
          n,
          randomInt(random, 0, 3),
          TRANSITIONS[randomInt(random, 0, TRANSITIONS.length - 1)]!,
          // Ties in the monitor's time are common: they sort by arrival, then id.
          randomInt(random, 0, 30),
        ),
      );
      const sorted = [...events].sort(compareEvents);
      const split = randomInt(random, 1, count - 1);
      const earlier = projectIncident(sorted.slice(0, split), rules);
      const later = sorted.slice(split);
      expect(canAdvance(earlier, later)).toBe(true);
      const all = projectIncident(events, rules);
      expect({ round, ...advanceProjection(earlier, later, rules) }).toEqual({
        round,
        ...all,
        timeline: all.timeline.slice(earlier.timeline.length),
      });
    }
  });

  it("when an event sorts before the incident's last, or the incident lists fewer alerts than it has, then it cannot be advanced", () => {
    const first = event(1, 1, 'triggered', 10);
    const projection = projectIncident([first, event(2, 1, 'warn', 20)], RULES);
    const earlier = event(3, 2, 'triggered', 15);
    expect(canAdvance(projection, [earlier])).toBe(false);
    expect(() => advanceProjection(projection, [earlier], RULES)).toThrow(/cannot be advanced/);
    // Same time as the last, arrived earlier: it sorts before it too.
    expect(canAdvance(projection, [{ ...event(4, 2, 'triggered', 20), receivedAt: new Date(BASE) }])).toBe(
      false,
    );
    expect(canAdvance(projection, [event(5, 2, 'triggered', 21)])).toBe(true);

    const many = Array.from({ length: INCIDENT_ALERT_LIMIT + 1 }, (_, n) => event(n, n, 'triggered', 1));
    const crowded = projectIncident(many, RULES);
    expect(crowded.alerts).toHaveLength(INCIDENT_ALERT_LIMIT);
    expect(canAdvance(crowded, [event(9999, 1, 'recovered', 30)])).toBe(false);

    const { firingAlerts: _f, lastEvent: _l, ...older } = projection;
    expect(canAdvance(older, [event(6, 2, 'triggered', 40)])).toBe(false);
  });

  it('when alerts fire and recover, then the projection says which of them fire and where its last event sorts', () => {
    const projection = projectIncident(
      [
        event(1, 1, 'triggered', 1),
        event(2, 2, 'triggered', 2),
        event(3, 1, 'recovered', 3),
        event(4, 3, 'warn', 4),
      ],
      RULES,
    );
    expect(projection.alerts.map((a) => a.key)).toEqual([
      'monitor|host:1',
      'monitor|host:2',
      'monitor|host:3',
    ]);
    expect(projection.firingAlerts).toEqual([1]);
    expect(projection.lastEvent).toEqual({
      at: new Date(BASE + 4 * 60_000),
      receivedAt: new Date(BASE + 4 * 60_000 + 4000),
      eventId: 'e4',
    });
  });
});
