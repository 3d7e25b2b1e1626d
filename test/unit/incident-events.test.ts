/** The event an incident keeps from an alert, and which events an incident takes when alerts come again. */
import type { Alert } from '../../src/domain/alert';
import type { Incident } from '../../src/domain/incident';
import { appendAlerts, eventFromAlert, newIncident } from '../../src/domain/incident-building';
import type { ProjectionRules } from '../../src/domain/incident-projection';
import { at, makeAlert } from '../helpers/alerts';

function rules(): ProjectionRules {
  return { openingTransitions: new Set(['triggered', 'retriggered']) };
}

function received(alert: Alert) {
  return { alert, receivedAt: new Date(alert.at) };
}

describe('eventFromAlert', () => {
  it('when the alert has no scope and no message, then the event message is the raw transition alone', () => {
    const alert = makeAlert({
      transition: 'triggered',
      rawTransition: 'Triggered',
      at: at('10:02'),
      scope: null,
    });
    expect(eventFromAlert(received(alert)).message).toBe('Triggered');
  });

  it('when the alert has a scope and a one-line message, then the event message names both', () => {
    const alert = makeAlert({
      transition: 'retriggered',
      rawTransition: 'Re-Triggered',
      at: at('10:02'),
      scope: 'host:web-1',
      message: 'Error rate above 5%',
    });
    expect(eventFromAlert(received(alert)).message).toBe('Re-Triggered on host:web-1: Error rate above 5%');
  });

  it('when the message starts with blank lines, then the event message shows the first non-blank line, trimmed', () => {
    const alert = makeAlert({
      transition: 'triggered',
      rawTransition: 'Triggered',
      at: at('10:02'),
      scope: null,
      message: '\n   \n\t\n   Disk full on /var   \nsecond line',
    });
    expect(eventFromAlert(received(alert)).message).toBe('Triggered: Disk full on /var');
  });

  it('when the message has only blank lines, then the event message is the transition and scope alone', () => {
    const alert = makeAlert({
      transition: 'recovered',
      rawTransition: 'Recovered',
      at: at('10:02'),
      scope: 'host:web-1',
      message: '  \n \t \n',
    });
    expect(eventFromAlert(received(alert)).message).toBe('Recovered on host:web-1');
  });

  it('when the first line is very long, then the event message is cut at 300 characters', () => {
    const alert = makeAlert({
      transition: 'triggered',
      rawTransition: 'Triggered',
      at: at('10:02'),
      scope: null,
      message: 'x'.repeat(400),
    });
    const message = eventFromAlert(received(alert)).message;
    expect(message).toBe(`Triggered: ${'x'.repeat(300 - 'Triggered: '.length)}`);
    expect(message).toHaveLength(300);
  });

  it('when an event is made from an alert, then it keeps the alert identity, times and transitions', () => {
    const alert = makeAlert({
      transition: 'retriggered',
      rawTransition: 'Re-Triggered',
      at: at('10:02'),
      scope: 'host:web-2',
      eventId: 'datadog:777',
      alertKey: 'datadog:monitor:42|host:web-2',
    });
    const receivedAt = new Date(at('10:03'));
    expect(eventFromAlert({ alert, receivedAt })).toEqual({
      eventId: 'datadog:777',
      alertKey: 'datadog:monitor:42|host:web-2',
      scope: 'host:web-2',
      transition: 'retriggered',
      rawTransition: 'Re-Triggered',
      at: new Date('2026-06-14T10:02:00.000Z'),
      receivedAt: new Date('2026-06-14T10:03:00.000Z'),
      message: 'Re-Triggered on host:web-2',
    });
  });
});

describe('events an incident takes', () => {
  let trigger: Alert;
  let opened: Incident;
  beforeEach(() => {
    trigger = makeAlert({ transition: 'triggered', at: at('10:02'), eventId: 'datadog:1' });
    opened = newIncident('inc1', trigger.groupKey, [received(trigger)], rules(), new Date(at('10:02')));
  });

  it('when the same alert is delivered twice in the opening batch, then the incident keeps one event', () => {
    const incident = newIncident(
      'inc2',
      trigger.groupKey,
      [received(trigger), received(trigger)],
      rules(),
      new Date(at('10:02')),
    );
    expect(incident.events.map((e) => e.eventId)).toEqual(['datadog:1']);
    expect(incident.timeline.map((t) => t.key)).toEqual(['event:datadog:1']);
  });

  it('when only known events come again, then the incident is returned unchanged and nothing is added', () => {
    const { next, added } = appendAlerts(opened, [received(trigger)], rules(), new Date(at('11:00')));
    expect(next).toBe(opened);
    expect(added).toEqual([]);
    expect(next.version).toBe(0);
  });

  it('when a known event comes again beside a new one, then only the new one is added', () => {
    const recovery = makeAlert({ transition: 'recovered', at: at('10:30'), eventId: 'datadog:2' });
    const { next, added } = appendAlerts(
      opened,
      [received(trigger), received(recovery)],
      rules(),
      new Date(at('11:00')),
    );
    expect(added.map((e) => e.eventId)).toEqual(['datadog:2']);
    expect(next.events.map((e) => e.eventId)).toEqual(['datadog:1', 'datadog:2']);
    expect(next.version).toBe(1);
    expect(next.updatedAt).toEqual(new Date(at('11:00')));
  });

  it('when a new alert comes twice in one batch, then it is added once', () => {
    const recovery = makeAlert({ transition: 'recovered', at: at('10:30'), eventId: 'datadog:2' });
    const { next, added } = appendAlerts(
      opened,
      [received(recovery), received(recovery)],
      rules(),
      new Date(at('11:00')),
    );
    expect(added.map((e) => e.eventId)).toEqual(['datadog:2']);
    expect(next.events.map((e) => e.eventId)).toEqual(['datadog:1', 'datadog:2']);
  });

  it('when a known event comes again with other facts beside a new one, then its facts are not merged', () => {
    const replayed = { ...trigger, services: ['billing'], hosts: ['db-9'], severity: 'P1' as const };
    const warn = makeAlert({ transition: 'warn', at: at('10:10'), eventId: 'datadog:2' });
    const { next } = appendAlerts(
      opened,
      [received(replayed), received(warn)],
      rules(),
      new Date(at('11:00')),
    );
    expect(next.services).toEqual(['web']);
    expect(next.hosts).toEqual(['web-1']);
    expect(next.severity).toBe('P2');
  });

  it('when two new alerts come together, then the facts of both are merged', () => {
    const api = makeAlert({
      transition: 'triggered',
      at: at('10:05'),
      scope: 'host:api-1',
      services: ['api'],
      eventId: 'datadog:2',
    });
    const db = makeAlert({
      transition: 'triggered',
      at: at('10:06'),
      scope: 'host:db-1',
      services: ['db'],
      eventId: 'datadog:3',
    });
    const { next } = appendAlerts(opened, [received(api), received(db)], rules(), new Date(at('11:00')));
    expect(next.services).toEqual(['web', 'api', 'db']);
    expect(next.hosts).toEqual(['web-1', 'api-1', 'db-1']);
  });
});
