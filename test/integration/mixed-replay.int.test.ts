/**
 * A mixed replay: seven sources at once, through HTTP, Redis, two workers and the database, in three rounds,
 * each round's deliveries posted all at once in a seeded shuffled order (TEST_SEED=<n> replays another), the
 * queues drained between rounds. The deliveries are the fixtures of test/fixtures/<source>/, varied into
 * episodes of their own (test/helpers/replay.ts). REOPEN_WINDOW_SECONDS is 10 minutes.
 *
 * - early: recoveries that arrive before their triggers (Grafana, Opsgenie, generic): held, no incident yet;
 * - the storm: triggers sent twice (the same bytes; Sentry's retry with a fresh Request-ID); a Datadog
 *   monitor flapping (trigger, recover, trigger again 3 min later, recover); an Alertmanager HA pair sending
 *   each notification of a two-alert group from both peers (firing, one resolved, group resolved); PagerDuty's
 *   trigger, acknowledgement and a resolution known by its X-Webhook-Id; a second Sentry event and the issue's
 *   resolution; a generic alert without an id, sent twice; a generic test;
 * - late: the Datadog monitor firing again 28 min after it resolved, and recovering; the second Alertmanager
 *   peer's stale firing after the group resolved; an Opsgenie acknowledgement delivered after its alert closed;
 *   a Datadog recovery sent again, and PagerDuty's resolution redelivered re-serialized under its X-Webhook-Id.
 *
 * What it must come to is written out in EXPECTED, from the rules (README, src/domain/): incidents are settled
 * by the monitor's times, not by arrival; a trigger within the window after a resolution reopens the incident,
 * one past it opens another; a redelivery, an HA copy or a stale firing is the event it repeats.
 */
import type { Incident } from '../../src/domain/incident';
import { storedIncidents } from '../helpers/stored-incidents';
import { startPipeline, type Pipeline } from '../helpers/pipeline';
import { seededRandom } from '../helpers/random';
import {
  again,
  alertGroupDelivery,
  datadogDelivery,
  delivery,
  eventIdsByName,
  fixtureBody,
  genericDelivery,
  listedAlert,
  opsgenieDelivery,
  outcomesByEventId,
  pagerDutyDelivery,
  postAtOnce,
  sentryDelivery,
  type Delivery,
  type ListedAlert,
  type Posted,
} from '../helpers/replay';

const REOPEN_WINDOW_SECONDS = 600;
const at = (hms: string) => new Date(`2026-06-14T${hms}Z`).toISOString();
const TEST_EVENT = 'generic test';

/** The replay, round by round: what each monitor sends, and when. */
function replayScript(): Record<'early' | 'storm' | 'late', Delivery[]> {
  const dd = (event: string, n: number, transition: 'Triggered' | 'Recovered', hms: string, cycle: number) =>
    datadogDelivery(event, {
      id: `731124000000020000${n}`,
      transition,
      at: at(hms),
      cycleKey: `7311240${cycle}`,
    });
  const flap = {
    t1: dd('dd T1', 1, 'Triggered', '10:00:00', 1),
    r1: dd('dd R1', 2, 'Recovered', '10:04:00', 1),
    t2: dd('dd T2', 3, 'Triggered', '10:07:00', 2),
    r2: dd('dd R2', 4, 'Recovered', '10:12:00', 2),
    t3: dd('dd T3', 5, 'Triggered', '10:40:00', 3),
    r3: dd('dd R3', 6, 'Recovered', '10:46:00', 3),
  };

  // An Alertmanager HA pair: two peers, one group of two alerts, each notification sent by both.
  const web1 = listedAlert('alertmanager', 'firing-trigger', {
    labels: { instance: 'web-1:9100' },
    startsAt: '2026-06-14T10:01:00.421337215Z',
  });
  const web2 = listedAlert('alertmanager', 'firing-trigger', {
    labels: { instance: 'web-2:9100' },
    fingerprint: '8d4e1c7b2a9f3e56',
    startsAt: '2026-06-14T10:02:30Z',
  });
  const web1Ends = '2026-06-14T10:15:00.5Z';
  const notifications: Record<string, Parameters<typeof alertGroupDelivery>[3]> = {
    'N1 (both firing)': {
      status: 'firing',
      alerts: [
        ['am web-1 firing', web1('firing')],
        ['am web-2 firing', web2('firing')],
      ],
    },
    'N2 (web-1 resolved, web-2 firing)': {
      status: 'firing',
      alerts: [
        ['am web-2 firing', web2('firing')],
        ['am web-1 resolved', web1('resolved', web1Ends)],
      ],
    },
    'N3 (group resolved)': {
      status: 'resolved',
      alerts: [
        ['am web-1 resolved', web1('resolved', web1Ends)],
        ['am web-2 resolved', web2('resolved', '2026-06-14T10:18:30.102934Z')],
      ],
    },
  };
  const fromPeer = (name: string, peer: number) =>
    alertGroupDelivery(`alertmanager ${name} from peer-${peer}`, 'alertmanager', 'firing-trigger', {
      ...notifications[name]!,
      externalURL: `http://alertmanager-${peer}.example.com:9093`,
    });
  const ha = Object.keys(notifications).flatMap((name) => [fromPeer(name, 0), fromPeer(name, 1)]);
  // Sent again late: the very bytes peer-1 sent for N2, whose snapshot predates the group's resolution.
  const stale = fromPeer('N2 (web-1 resolved, web-2 firing)', 1);

  const rule = listedAlert('grafana', 'firing-trigger', { startsAt: '2026-06-14T12:05:00+02:00' });
  const gf = (event: string, status: 'firing' | 'resolved', alert: ListedAlert) =>
    alertGroupDelivery(`grafana ${event}`, 'grafana', 'firing-trigger', { status, alerts: [[event, alert]] });
  const gfFiring = gf('gf firing', 'firing', rule('firing'));

  const pd = (event: string, fixture: string, id: string | null, hms: string, headers = {}) =>
    pagerDutyDelivery(event, fixture, { id, incident: 'Q7M1XEDREPLAY9', number: 4907, at: at(hms) }, headers);
  const pdTriggered = pd('pd triggered', 'incident-triggered', '01J0M1XTRIG0000000000001', '10:03:00');
  const pdResolved = pd('pd resolved', 'incident-resolved', null, '10:30:00', {
    'X-Webhook-Id': '9e2d7c4b-1a3f-4b5e-8d6c-0f1e2d3c4b5a',
  });

  const alias = { alertId: '3d9a6f2e-8c1b-4e7d-a5f0-2b6c8e1d4a97', alias: 'checkout-latency-mixed-replay' };
  const og = (event: string, fixture: string, hms: string) =>
    opsgenieDelivery(event, fixture, { ...alias, createdAt: at('10:08:00'), at: at(hms) });
  const ogCreate = og('og create', 'create', '10:08:00');

  const issueId = '4711000099';
  const sentry = (event: string, eventId: string, hms: string, requestId: string) => {
    const sentEvent = {
      event_id: eventId,
      issue_id: issueId,
      datetime: at(hms),
      timestamp: Date.parse(at(hms)) / 1000,
    };
    return sentryDelivery(event, 'event-alert-triggered', { event: sentEvent }, { requestId, at: at(hms) });
  };
  const sentryFirst = sentry('sentry event 1', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', '10:02:00.250', 'r-1');

  const generic = (event: string, id: string | null, alert: string, status: string, hms: string) =>
    genericDelivery(event, { id, key: 'nightly-backup-mixed-replay', alert, status, at: at(hms) });
  const db1 = generic('db-1 triggered', 'backup-mixed-0011', 'db-1', 'triggered', '10:11:00');
  const db2 = generic('db-2 triggered', null, 'db-2', 'triggered', '10:13:00');

  return {
    early: [
      gf('gf resolved', 'resolved', rule('resolved', '2026-06-14T12:25:00+02:00')),
      og('og close', 'close', '10:35:00'),
      generic('db-1 recovered', 'backup-mixed-0021', 'db-1', 'recovered', '10:21:00'),
    ],
    storm: [
      ...[flap.t1, again(flap.t1), flap.r1, flap.t2, flap.r2],
      ...ha,
      ...[gfFiring, again(gfFiring)],
      ...[pdTriggered, again(pdTriggered), pdResolved],
      pd('pd acknowledged', 'incident-acknowledged', '01J0M1XACKD000000000000001', '10:06:00'),
      ...[ogCreate, again(ogCreate)],
      ...[sentryFirst, again(sentryFirst, { ...sentryFirst.headers, 'Request-ID': 'r-2' })],
      sentry('sentry event 2', 'b2c3d4e5f60718293a4b5c6d7e8f90a1', '10:09:00', 'r-3'),
      sentryDelivery(
        'sentry resolved',
        'issue-resolved',
        { issue: { id: issueId, lastSeen: at('10:09:00') } },
        { requestId: 'r-4', at: at('10:50:00') },
      ),
      ...[db1, again(db1), db2, again(db2)],
      delivery(TEST_EVENT, 'generic', [TEST_EVENT], fixtureBody('generic', 'test-notification')),
    ],
    late: [
      flap.t3,
      flap.r3,
      again(flap.r2),
      { ...stale, label: `${stale.label}, stale after the group resolved` },
      og('og acknowledge', 'acknowledge', '10:10:00'),
      {
        ...pdResolved,
        label: `${pdResolved.label}, redelivered re-serialized`,
        body: JSON.stringify(JSON.parse(pdResolved.body), null, 2),
      },
    ],
  };
}

interface ExpectedIncident {
  name: string;
  source: string;
  severity: string;
  /** Detected at, resolved at (null while open), and its resolution count: the monitor's times. */
  span: readonly [detectedAt: string, resolvedAt: string | null, resolutionCount: number];
  durationSeconds: number | null;
  /** Each entry as `kind time event`: its kind, its time (the monitor's), and the event that made it. */
  timeline: readonly string[];
  /** The draft's figure: from detection to the first acknowledgement. */
  timeToAcknowledgeSeconds: number | null;
}

/** What the replay must come to, by the rules: eight incidents, all but the generic one resolved. */
const EXPECTED: readonly ExpectedIncident[] = [
  {
    name: 'datadog: the flapping monitor, reopened 3 min after it resolved',
    source: 'datadog',
    severity: 'P2',
    span: ['10:00:00', '10:12:00', 2],
    durationSeconds: 720,
    timeline: [
      'triggered 10:00:00 dd T1',
      'recovered 10:04:00 dd R1',
      'resolved 10:04:00 dd R1',
      'triggered 10:07:00 dd T2',
      'reopened 10:07:00 dd T2',
      'recovered 10:12:00 dd R2',
      'resolved 10:12:00 dd R2',
    ],
    timeToAcknowledgeSeconds: null,
  },
  {
    name: 'datadog: the same monitor firing again 28 min after, past the window',
    source: 'datadog',
    severity: 'P2',
    span: ['10:40:00', '10:46:00', 1],
    durationSeconds: 360,
    timeline: ['triggered 10:40:00 dd T3', 'recovered 10:46:00 dd R3', 'resolved 10:46:00 dd R3'],
    timeToAcknowledgeSeconds: null,
  },
  {
    name: 'alertmanager: the HA pair’s group of two alerts',
    source: 'alertmanager',
    severity: 'P1',
    span: ['10:01:00.421', '10:18:30.102', 1],
    durationSeconds: 1050,
    timeline: [
      'triggered 10:01:00.421 am web-1 firing',
      'triggered 10:02:30 am web-2 firing',
      'recovered 10:15:00.500 am web-1 resolved',
      'recovered 10:18:30.102 am web-2 resolved',
      'resolved 10:18:30.102 am web-2 resolved',
    ],
    timeToAcknowledgeSeconds: null,
  },
  {
    name: 'grafana: resolved delivered before its firing',
    source: 'grafana',
    severity: 'P3',
    span: ['10:05:00', '10:25:00', 1],
    durationSeconds: 1200,
    timeline: [
      'triggered 10:05:00 gf firing',
      'recovered 10:25:00 gf resolved',
      'resolved 10:25:00 gf resolved',
    ],
    timeToAcknowledgeSeconds: null,
  },
  {
    name: 'pagerduty: triggered, acknowledged, resolved',
    source: 'pagerduty',
    severity: 'P1',
    span: ['10:03:00', '10:30:00', 1],
    durationSeconds: 1620,
    timeline: [
      'triggered 10:03:00 pd triggered',
      'acknowledged 10:06:00 pd acknowledged',
      'recovered 10:30:00 pd resolved',
      'resolved 10:30:00 pd resolved',
    ],
    timeToAcknowledgeSeconds: 180,
  },
  {
    name: 'opsgenie: closed before created, acknowledged late',
    source: 'opsgenie',
    severity: 'P1',
    span: ['10:08:00', '10:35:00', 1],
    durationSeconds: 1620,
    timeline: [
      'triggered 10:08:00 og create',
      'acknowledged 10:10:00 og acknowledge',
      'recovered 10:35:00 og close',
      'resolved 10:35:00 og close',
    ],
    timeToAcknowledgeSeconds: 120,
  },
  {
    name: 'sentry: an issue alert retried, a second event, the issue resolved',
    source: 'sentry',
    severity: 'P2',
    span: ['10:02:00.250', '10:50:00', 1],
    durationSeconds: 2880,
    timeline: [
      'triggered 10:02:00.250 sentry event 1',
      'triggered 10:09:00 sentry event 2',
      'recovered 10:50:00 sentry resolved',
      'resolved 10:50:00 sentry resolved',
    ],
    timeToAcknowledgeSeconds: null,
  },
  {
    name: 'generic: db-1 recovered (delivered first), db-2 still failing',
    source: 'generic',
    severity: 'P2',
    span: ['10:11:00', null, 0],
    durationSeconds: null,
    timeline: [
      'triggered 10:11:00 db-1 triggered',
      'triggered 10:13:00 db-2 triggered',
      'recovered 10:21:00 db-1 recovered',
    ],
    timeToAcknowledgeSeconds: null,
  },
];

/** `kind time event` -> its parts. */
function entry(text: string): { kind: string; at: string; event: string } {
  const [kind = '', hms = '', ...event] = text.split(' ');
  return { kind, at: at(hms), event: event.join(' ') };
}
/** The events an expected incident holds, each once, in the order of its timeline. */
const eventsOf = (e: ExpectedIncident) => [
  ...new Set(
    e.timeline
      .map(entry)
      .filter(({ kind }) => kind !== 'resolved' && kind !== 'reopened')
      .map(({ event }) => event),
  ),
];
const TRIGGERS = new Set(
  EXPECTED.flatMap((e) => e.timeline.map(entry).filter(({ kind }) => kind === 'triggered')).map(
    (t) => t.event,
  ),
);
const resolvedAtOf = (e: ExpectedIncident) => (e.span[1] === null ? null : at(e.span[1]));

let pipeline: Pipeline;
const posted: Record<'early' | 'storm' | 'late', Posted[]> = { early: [], storm: [], late: [] };
let afterEarly: { incidents: number; statuses: [string, string][] } = { incidents: -1, statuses: [] };

beforeAll(async () => {
  // A lock that outlives a busy moment of this machine: no batch is run again whole (its outcomes logged twice).
  pipeline = await startPipeline({
    env: { REOPEN_WINDOW_SECONDS: String(REOPEN_WINDOW_SECONDS), WORKER_LOCK_MS: '10000' },
  });
  await pipeline.addWorker();
  const random = seededRandom();
  const script = replayScript();
  posted.early = await postAtOnce(pipeline, script.early, random);
  await pipeline.drain();
  const early = await pipeline.mongo.collection('alert_log').find().toArray();
  afterEarly = {
    incidents: await pipeline.mongo.collection('incidents').countDocuments(),
    statuses: early.map((doc) => [String(doc.source), String(doc.status)]),
  };
  posted.storm = await postAtOnce(pipeline, script.storm, random);
  await pipeline.drain();
  posted.late = await postAtOnce(pipeline, script.late, random);
  await pipeline.drain();
}, 60_000);
afterAll(async () => {
  await pipeline?.close();
});

const everyPost = () => [...posted.early, ...posted.storm, ...posted.late];
const incidentDocs = () => storedIncidents(pipeline.mongo);

/** The incident that holds the expected incident's first event (whatever else it holds). */
function incidentFor(e: ExpectedIncident, docs: Incident[], ids: Map<string, string>) {
  const first = ids.get(eventsOf(e)[0]!);
  return docs.find((doc) => doc.events.some((ev) => ev.eventId === first));
}

describe('a mixed replay of seven sources, shuffled, with duplicates, reordering, an HA pair and a flap', () => {
  it('when every delivery is posted, then each is answered 202 and each event is one eventId however it was sent', () => {
    const all = everyPost();
    expect(all.filter((p) => p.status !== 202).map((p) => [p.delivery.label, p.status])).toEqual([]);
    const ids = eventIdsByName(all);
    expect([...ids.keys()].sort()).toEqual([...EXPECTED.flatMap(eventsOf), TEST_EVENT].sort());
  });

  it('when recoveries arrive before their triggers, then each is held and nothing opens', () => {
    expect(afterEarly.incidents).toBe(0);
    expect([...afterEarly.statuses].sort()).toEqual([
      ['generic', 'held'],
      ['grafana', 'held'],
      ['opsgenie', 'held'],
    ]);
  });

  it('when the replay is over, then exactly the expected incidents exist, in the monitors’ times', async () => {
    const rows = (incidents: unknown[][]) => incidents.map((row) => JSON.stringify(row)).sort();
    const actual = (await incidentDocs()).map((doc) => [
      doc.source,
      doc.severity,
      doc.status,
      [doc.detectedAt.toISOString(), doc.resolvedAt?.toISOString() ?? null, doc.resolutionCount],
      doc.durationSeconds,
    ]);
    const expected = EXPECTED.map((e) => [
      e.source,
      e.severity,
      e.span[1] === null ? 'open' : 'resolved',
      [at(e.span[0]), resolvedAtOf(e), e.span[2]],
      e.durationSeconds,
    ]);
    expect(rows(actual)).toEqual(rows(expected));
  });

  it('when the replay is over, then each incident holds its events once and its timeline is the expected entries in order', async () => {
    const ids = eventIdsByName(everyPost());
    const docs = await incidentDocs();
    const keyOf = (kind: string, event: string) =>
      `${kind === 'resolved' || kind === 'reopened' ? kind : 'event'}:${ids.get(event)}`;
    const actual = EXPECTED.map((e) => {
      const doc = incidentFor(e, docs, ids);
      return {
        name: e.name,
        events: doc?.events.map((ev) => ev.eventId).sort(),
        timeline: doc?.timeline.map((t) => [t.kind, t.at.toISOString(), t.key]),
      };
    });
    const expected = EXPECTED.map((e) => ({
      name: e.name,
      events: eventsOf(e)
        .map((event) => ids.get(event))
        .sort(),
      timeline: e.timeline.map(entry).map((t) => [t.kind, t.at, keyOf(t.kind, t.event)]),
    }));
    expect(actual).toEqual(expected);
  });

  it('when the replay is over, then the alert log holds each event once, applied to its incident, the test as a test', async () => {
    const ids = eventIdsByName(everyPost());
    const docs = await incidentDocs();
    const sourceOf = new Map(
      everyPost().flatMap((p) => p.delivery.events.map((ev) => [ev, p.delivery.source])),
    );
    const logId = (event: string) => `${sourceOf.get(event)}|${ids.get(event)}`;
    const expected = [
      ...EXPECTED.flatMap((e) => {
        const incidentId = String(incidentFor(e, docs, ids)?.id);
        return eventsOf(e).map((event) => [logId(event), 'applied', incidentId]);
      }),
      [logId(TEST_EVENT), 'test', null],
    ];
    const logged = await pipeline.mongo
      .collection<{ _id: string; status: string; incidentId?: string | null }>('alert_log')
      .find()
      .toArray();
    const rows = (records: unknown[][]) => records.map((row) => JSON.stringify(row)).sort();
    expect(rows(logged.map((l) => [l._id, l.status, l.incidentId ?? null]))).toEqual(rows(expected));
  });

  it('when the replay is over, then each alert delivered has one outcome: a trigger applied once and its copies duplicates, no other event applied twice', async () => {
    const ids = eventIdsByName(everyPost());
    const outcomes = outcomesByEventId(pipeline.logLines);
    const deliveries = (event: string) => everyPost().filter((p) => p.delivery.events.includes(event)).length;
    const verdict = (event: string) => {
      const seen = outcomes.get(ids.get(event)!) ?? [];
      const count = (kind: string) => seen.filter((o) => o === kind).length;
      const [applied, held, duplicate] = [count('applied'), count('held'), count('duplicate')];
      let ok: boolean;
      if (event === TEST_EVENT) ok = seen.join() === 'test';
      else if (TRIGGERS.has(event)) ok = applied === 1 && duplicate === seen.length - 1;
      // A recovery or an acknowledgement may be held (no incident yet) and joined by its trigger's worker.
      else ok = applied <= 1 && applied + held >= 1 && applied + held + duplicate === seen.length;
      return [event, seen.length, ok ? 'by the rules' : seen.join(', ')];
    };
    const events = [...ids.keys()].sort();
    expect(events.map(verdict)).toEqual(events.map((event) => [event, deliveries(event), 'by the rules']));
    expect(await pipeline.queue.getJobCounts('failed')).toEqual({ failed: 0 });
  });

  // A draft shows the incident as it is now (src/use-cases/annotate-incident.ts, for people's notes and
  // acknowledgements): so a late alert that changes a resolved incident changes its draft, and an incident that
  // by the monitors' times never resolved has none.
  it('when the replay is over, then each resolved incident has a draft of its last resolution, as the incident is, and the open one has none', async () => {
    const ids = eventIdsByName(everyPost());
    const docs = await incidentDocs();
    const drafts = await pipeline.mongo
      .collection<{ _id: string; factsJson: string }>('postmortems')
      .find()
      .toArray();
    const actual = EXPECTED.map((e) => {
      const draft = drafts.find((d) => d._id === String(incidentFor(e, docs, ids)?.id));
      if (draft === undefined) return [e.name, null];
      const facts = JSON.parse(draft.factsJson) as DraftFacts;
      return [
        e.name,
        {
          span: [facts.detectedAt, facts.resolvedAt, facts.resolutionCount],
          durationSeconds: facts.durationSeconds,
          timeToAcknowledgeSeconds: facts.figures.timeToAcknowledgeSeconds,
          timeline: facts.timeline.map((t) => `${t.kind} ${t.at}`),
        },
      ];
    });
    const expected = EXPECTED.map((e) => [
      e.name,
      e.span[1] === null
        ? null
        : {
            span: [at(e.span[0]), resolvedAtOf(e), e.span[2]],
            durationSeconds: e.durationSeconds,
            timeToAcknowledgeSeconds: e.timeToAcknowledgeSeconds,
            timeline: e.timeline.map(entry).map((t) => `${t.kind} ${t.at}`),
          },
    ]);
    expect(actual).toEqual(expected);
    expect(drafts).toHaveLength(EXPECTED.filter((e) => e.span[1] !== null).length);
  });
});

/** What a draft's facts say (src/domain/postmortem.ts), as stored: times as ISO-8601 text. */
interface DraftFacts {
  resolutionCount: number;
  detectedAt: string;
  resolvedAt: string;
  durationSeconds: number;
  figures: { timeToAcknowledgeSeconds: number | null };
  timeline: { kind: string; at: string }[];
}
