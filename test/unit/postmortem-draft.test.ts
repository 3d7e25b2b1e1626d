import type { Alert } from '../../src/domain/alert';
import type { PostmortemFacts } from '../../src/domain/postmortem';
import { draftPostmortemFacts } from '../../src/domain/postmortem-draft';
import { makeAlert } from '../helpers/alerts';
import {
  incidentFrom,
  referenceIncident,
  reopenedReference,
  REFERENCE_ID,
  REFERENCE_URL,
  anyOf,
  LAGOS_NAMES,
} from '../helpers/postmortems';

const lagos = { timezone: 'Africa/Lagos', incidentUrl: REFERENCE_URL };

/** A single-alert incident: it triggers at `from` and recovers at `to` (ISO times). */
function simpleIncident(from: string, to: string, overrides: Partial<Alert> = {}) {
  return incidentFrom('inc-simple', [
    { alert: makeAlert({ transition: 'triggered', at: from, ...overrides }) },
    { alert: makeAlert({ transition: 'recovered', at: to, ...overrides }) },
  ]);
}

describe('draftPostmortemFacts: the issue summary', () => {
  it('when the reference incident resolves, then the summary reads like the reference report', () => {
    const facts = draftPostmortemFacts(referenceIncident(), lagos);
    expect(
      LAGOS_NAMES.map(
        (wat) =>
          `From 18:26 to 19:58 ${wat} (1 h 32 min), Datadog monitor “Home page 404s” alerted on 3 scopes ` +
          '(url:/, url:/login, url:/booking), affecting web, booking (2 hosts).',
      ),
    ).toContain(facts.issueSummary);
  });

  it('when one scope on one host alerted, then the scope is named and the host counted once', () => {
    const facts = draftPostmortemFacts(simpleIncident('2026-06-14T10:00:00Z', '2026-06-14T10:05:00Z'), {
      ...lagos,
      timezone: 'UTC',
    });
    expect(facts.issueSummary).toBe(
      'From 10:00 to 10:05 UTC (5 min), Datadog monitor “High error rate on web” alerted on host:web-1, ' +
        'affecting web (1 host).',
    );
  });

  it('when the alerts name no service, then it says so', () => {
    const incident = simpleIncident('2026-06-14T10:00:00Z', '2026-06-14T10:45:00Z', { services: [] });
    expect(draftPostmortemFacts(incident, { ...lagos, timezone: 'UTC' }).issueSummary).toBe(
      'From 10:00 to 10:45 UTC (45 min), Datadog monitor “High error rate on web” alerted on host:web-1, ' +
        'affecting no tagged service (1 host).',
    );
  });

  it('when a simple monitor without scope or hosts alerted, then neither is mentioned', () => {
    const incident = simpleIncident('2026-06-14T10:00:00Z', '2026-06-14T10:00:45Z', {
      scope: null,
      hosts: [],
    });
    expect(draftPostmortemFacts(incident, { ...lagos, timezone: 'UTC' }).issueSummary).toBe(
      'From 10:00 to 10:00 UTC (45 s), Datadog monitor “High error rate on web” alerted, affecting web.',
    );
  });

  it('when the incident runs past midnight in the zone, then both ends carry their date', () => {
    const incident = simpleIncident('2019-06-28T22:50:00Z', '2019-06-28T23:40:00Z');
    expect(draftPostmortemFacts(incident, lagos).issueSummary).toMatch(
      new RegExp(`^From 2019-06-28 23:50 to 2019-06-29 00:40 ${anyOf(LAGOS_NAMES)} \\(50 min\\), `),
    );
  });

  it('when summer time starts during the incident, then each end carries its own zone name', () => {
    const incident = simpleIncident('2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z');
    expect(draftPostmortemFacts(incident, { ...lagos, timezone: 'Europe/Paris' }).issueSummary).toMatch(
      /^From 01:30 CET to 03:30 CEST \(1 h\), /,
    );
  });

  it('when two monitors alerted in the incident, then both are named, in the summary and as detection', () => {
    const other = { id: '77', name: 'Login latency', url: null, query: null };
    const incident = incidentFrom('inc-two', [
      { alert: makeAlert({ transition: 'triggered', at: '2026-06-14T10:00:00Z', scope: 'host:web-1' }) },
      {
        alert: makeAlert({
          transition: 'triggered',
          at: '2026-06-14T10:01:00Z',
          scope: 'host:web-2',
          monitor: other,
        }),
      },
      { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:20:00Z', scope: 'host:web-1' }) },
      { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:30:00Z', scope: 'host:web-2' }) },
    ]);
    const facts = draftPostmortemFacts(incident, { ...lagos, timezone: 'UTC' });
    expect(facts.detection).toBe('Datadog monitors “High error rate on web” and “Login latency”');
    expect(facts.issueSummary).toBe(
      'From 10:00 to 10:30 UTC (30 min), Datadog monitors “High error rate on web” and “Login latency” ' +
        'alerted on 2 scopes (host:web-1, host:web-2), affecting web (2 hosts).',
    );
  });
});

describe('draftPostmortemFacts: timeline, figures and copied facts', () => {
  let facts: PostmortemFacts;
  beforeEach(() => {
    facts = draftPostmortemFacts(referenceIncident(), lagos);
  });

  it('when the incident has alerts, an acknowledgement and notes, then each entry reads as a person writes it', () => {
    expect(facts.timeline.map((t) => [t.kind, t.text])).toEqual([
      ['triggered', 'Alert triggered on url:/'],
      ['triggered', 'Alert triggered on url:/login'],
      ['triggered', 'Alert triggered on url:/booking'],
      ['acknowledged', 'Acknowledged by alice'],
      ['note', 'Note by alice: the header file’s href points to localhost'],
      ['note', 'Note by alice: rolled back the header change'],
      ['recovered', 'url:/login recovered'],
      ['recovered', 'url:/booking recovered'],
      ['recovered', 'url:/ recovered'],
      ['resolved', 'All alerts recovered: incident resolved'],
    ]);
  });

  it('when a notification arrived 64 s late, then only that entry carries its lag', () => {
    expect(facts.timeline.map((t) => t.deliveryLagSeconds)).toEqual([64, ...Array<null>(9).fill(null)]);
    expect(facts.timeline[0]?.receivedAt).toEqual(new Date('2019-06-28T17:27:04Z'));
  });

  it('when the threshold is lower, then smaller lags count too (a note written late is not a delivery)', () => {
    const strict = draftPostmortemFacts(referenceIncident(), { ...lagos, deliveryLagThresholdSeconds: 10 });
    expect(strict.timeline.filter((t) => t.deliveryLagSeconds !== null).map((t) => t.text)).toEqual([
      'Alert triggered on url:/',
    ]);
  });

  it('when someone acknowledged, then the figures count from detection; time to detect stays unknown', () => {
    expect(facts.figures).toEqual({
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: 5 * 60,
      timeToRecoverSeconds: 92 * 60,
    });
  });

  it('when nobody acknowledged, then time to acknowledge is null', () => {
    const incident = simpleIncident('2026-06-14T10:00:00Z', '2026-06-14T10:05:00Z');
    expect(draftPostmortemFacts(incident, lagos).figures.timeToAcknowledgeSeconds).toBeNull();
  });

  it('when drafted, then the incident’s facts are copied as they are', () => {
    expect(facts).toMatchObject({
      incidentId: REFERENCE_ID,
      title: 'Home page 404s',
      severity: 'P1',
      services: ['web', 'booking'],
      hosts: ['web-1', 'web-2'],
      source: 'datadog',
      detection: 'Datadog monitor “Home page 404s”',
      detectedAt: new Date('2019-06-28T17:26:00Z'),
      resolvedAt: new Date('2019-06-28T18:58:00Z'),
      durationSeconds: 92 * 60,
      timezone: 'Africa/Lagos',
      resolutionCount: 1,
      incidentUrl: REFERENCE_URL,
    });
    expect(facts.monitors.map((m) => m.name)).toEqual(['Home page 404s']);
  });

  it('when the incident reopened and resolved again, then the timeline says so and the count is 2', () => {
    const again = reopenedReference();
    const redrawn = draftPostmortemFacts(again, lagos);
    expect(redrawn.resolutionCount).toBe(2);
    expect(redrawn.timeline.slice(-4).map((t) => t.text)).toEqual([
      'Alert triggered again on url:/',
      'Incident reopened',
      'url:/ recovered',
      'All alerts recovered: incident resolved',
    ]);
    expect(redrawn.figures.timeToRecoverSeconds).toBe(2 * 3600);
  });

  it('when a monitor warns or has no data, then the entries say so', () => {
    const incident = incidentFrom('inc-warn', [
      { alert: makeAlert({ transition: 'triggered', at: '2026-06-14T10:00:00Z' }) },
      { alert: makeAlert({ transition: 'warn', at: '2026-06-14T10:01:00Z', scope: 'host:web-2' }) },
      { alert: makeAlert({ transition: 'no_data', at: '2026-06-14T10:02:00Z', scope: 'host:web-3' }) },
      { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:03:00Z' }) },
    ]);
    expect(draftPostmortemFacts(incident, lagos).timeline.map((t) => t.text)).toEqual([
      'Alert triggered on host:web-1',
      'Warning on host:web-2',
      'No data from host:web-3',
      'host:web-1 recovered',
      'All alerts recovered: incident resolved',
    ]);
  });

  it('when the incident is still open, then no postmortem can be drafted', () => {
    const open = incidentFrom('inc-open', [
      { alert: makeAlert({ transition: 'triggered', at: '2026-06-14T10:00:00Z' }) },
    ]);
    expect(() => draftPostmortemFacts(open, lagos)).toThrow(/not resolved/);
  });
});
