import { acknowledge, addNote, appendAlerts, newIncident } from '../../src/domain/incident-building';
import type { Incident } from '../../src/domain/incident';
import type { RoutingRules } from '../../src/domain/incident-routing';
import { at, makeAlert } from '../helpers/alerts';

const rules: RoutingRules = {
  openingTransitions: new Set(['triggered', 'retriggered']),
  reopenWindowSeconds: 1800,
};
const now = new Date(at('12:00'));

describe('notes and acknowledgements', () => {
  // Built afresh for each test, not when the file loads: mutation testing then knows which tests use it.
  let opened: Incident;
  beforeEach(() => {
    const trigger = makeAlert({ transition: 'triggered', at: at('10:02') });
    opened = newIncident(
      'inc1',
      trigger.groupKey,
      [{ alert: trigger, receivedAt: new Date(at('10:02')) }],
      rules,
      now,
    );
  });

  it('when a note is added with a time of its own, then it sits on the timeline at that time', () => {
    const note = {
      id: 'n1',
      author: 'alice',
      text: 'rolled back',
      at: new Date(at('10:30')),
      receivedAt: now,
    };
    const noted = addNote(opened, note, now);
    expect(noted.version).toBe(opened.version + 1);
    expect(noted.timeline.map((t) => [t.kind, t.message])).toEqual([
      ['triggered', 'triggered on host:web-1'],
      ['note', 'alice: rolled back'],
    ]);
  });

  it('when the same note comes twice, then it is there once and nothing changes', () => {
    const note = { id: 'n1', author: 'alice', text: 'x', at: now, receivedAt: now };
    const once = addNote(opened, note, now);
    expect(addNote(once, note, now)).toBe(once);
  });

  it('when someone acknowledges twice, then only their first acknowledgement counts', () => {
    const first = acknowledge(opened, { by: 'bob', at: new Date(at('10:05')), receivedAt: now }, now);
    const again = acknowledge(first, { by: 'bob', at: new Date(at('10:09')), receivedAt: now }, now);
    expect(again).toBe(first);
    expect(first.timeline.filter((t) => t.kind === 'acknowledged').map((t) => t.at)).toEqual([
      new Date(at('10:05')),
    ]);
  });

  it('when alerts arrive after notes, then the notes stay on the timeline in time order', () => {
    const noted = addNote(
      opened,
      { id: 'n1', author: 'alice', text: 'looking', at: new Date(at('10:10')), receivedAt: now },
      now,
    );
    const recovery = makeAlert({ transition: 'recovered', at: at('10:20') });
    const { next } = appendAlerts(
      noted,
      [{ alert: recovery, receivedAt: new Date(at('10:20')) }],
      rules,
      now,
    );
    expect(next.timeline.map((t) => t.kind)).toEqual(['triggered', 'note', 'recovered', 'resolved']);
    expect(next.notes).toHaveLength(1);
  });
});
