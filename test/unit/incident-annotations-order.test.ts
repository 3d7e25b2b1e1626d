/** People's notes and acknowledgements on the timeline: their entries, keys and order among alert entries. */
import type { Incident } from '../../src/domain/incident';
import { acknowledge, addNote, newIncident } from '../../src/domain/incident-building';
import { at, makeAlert } from '../helpers/alerts';

describe('timeline annotations', () => {
  let opened: Incident;
  let now: Date;
  beforeEach(() => {
    now = new Date(at('12:00'));
    const trigger = makeAlert({ transition: 'triggered', at: at('10:02'), eventId: 'datadog:1' });
    opened = newIncident(
      'inc1',
      trigger.groupKey,
      [{ alert: trigger, receivedAt: new Date(at('10:02')) }],
      { openingTransitions: new Set(['triggered', 'retriggered']) },
      now,
    );
  });

  function note(id: string, hhmm: string, text = id) {
    return { id, author: 'alice', text, at: new Date(at(hhmm)), receivedAt: now };
  }

  it('when two people acknowledge, then both acknowledgements are on the timeline with their keys', () => {
    const once = acknowledge(opened, { by: 'bob', at: new Date(at('10:05')), receivedAt: now }, now);
    const twice = acknowledge(once, { by: 'carol', at: new Date(at('10:06')), receivedAt: now }, now);
    expect(twice.acknowledgements.map((a) => a.by)).toEqual(['bob', 'carol']);
    expect(twice.version).toBe(2);
    expect(twice.timeline.map((t) => [t.key, t.kind, t.alertKey, t.message])).toEqual([
      ['event:datadog:1', 'triggered', 'datadog:monitor:42|host:web-1', 'triggered on host:web-1'],
      ['ack:bob', 'acknowledged', null, 'Acknowledged by bob'],
      ['ack:carol', 'acknowledged', null, 'Acknowledged by carol'],
    ]);
  });

  it('when two different notes are added, then both are on the timeline with their keys', () => {
    const noted = addNote(
      addNote(opened, note('n1', '10:10', 'looking'), now),
      note('n2', '10:20', 'fixed'),
      now,
    );
    expect(noted.notes.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(noted.timeline.map((t) => [t.key, t.message])).toEqual([
      ['event:datadog:1', 'triggered on host:web-1'],
      ['note:n1', 'alice: looking'],
      ['note:n2', 'alice: fixed'],
    ]);
  });

  it('when a note then an acknowledgement are added, then each is on the timeline once', () => {
    const noted = addNote(opened, note('n1', '10:10'), now);
    const acked = acknowledge(noted, { by: 'bob', at: new Date(at('10:05')), receivedAt: now }, now);
    expect(acked.timeline.map((t) => t.key)).toEqual(['event:datadog:1', 'ack:bob', 'note:n1']);
  });

  it('when an acknowledgement then a note are added, then each is on the timeline once', () => {
    const acked = acknowledge(opened, { by: 'bob', at: new Date(at('10:05')), receivedAt: now }, now);
    const noted = addNote(acked, note('n1', '10:10'), now);
    expect(noted.timeline.map((t) => t.key)).toEqual(['event:datadog:1', 'ack:bob', 'note:n1']);
  });

  it('when notes and acknowledgements share the alert time, then alert entries come first, then acknowledgements, then notes, each in their order', () => {
    let incident = addNote(opened, note('n1', '10:02'), now);
    incident = acknowledge(incident, { by: 'bob', at: new Date(at('10:02')), receivedAt: now }, now);
    incident = addNote(incident, note('n2', '10:02'), now);
    incident = acknowledge(incident, { by: 'carol', at: new Date(at('10:02')), receivedAt: now }, now);
    incident = addNote(incident, note('n3', '10:02'), now);
    expect(incident.timeline.map((t) => t.key)).toEqual([
      'event:datadog:1',
      'ack:bob',
      'ack:carol',
      'note:n1',
      'note:n2',
      'note:n3',
    ]);
  });
});
