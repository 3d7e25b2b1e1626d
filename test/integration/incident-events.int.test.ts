/**
 * An incident's events live apart from its document: the document holds the summary and at most
 * PENDING_EVENT_LIMIT events not filed yet, incident_events one document per (incident, event). So a monitor
 * that renotifies for weeks keeps a small incident, a change writes the same at its 200th event as at its 10th,
 * and its timeline is read a page at a time.
 */
import { mongo } from 'mongoose';
import { TIMELINE_PAGE_LIMIT } from '../../src/domain/timeline-page';
import { PENDING_EVENT_LIMIT } from '../../src/persistence/incident.repository';
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';
import { storedIncidents } from '../helpers/stored-incidents';

/** Commands and the bytes of those that write, as the worker sent them, since the last reset. */
const sent = { commands: 0, writeBytes: 0 };
const WRITES = new Set(['insert', 'update', 'delete']);
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({
    onWorkerCommand: (name, bytes) => {
      sent.commands += 1;
      if (WRITES.has(name)) sent.writeBytes += bytes;
    },
  });
});
afterAll(async () => {
  await pipeline.close();
});

const RENOTIFICATIONS = 200;
const monitorId = String(9_300_000 + Math.floor(Math.random() * 100_000));
const groupKey = `datadog:monitor:${monitorId}`;
const start = Date.parse('2026-06-14T10:00:00Z');
/** What each renotification cost, in order. */
const costs: { commands: number; writeBytes: number }[] = [];

beforeAll(async () => {
  for (let i = 0; i < RENOTIFICATIONS; i += 1) {
    sent.commands = 0;
    sent.writeBytes = 0;
    const at = new Date(start + i * 60_000).toISOString();
    const res = await pipeline.postDatadog(
      datadogPayload({ transition: i === 0 ? 'Triggered' : 'Re-Triggered', monitorId, at }),
    );
    expect(res.status).toBe(202);
    await pipeline.drain();
    costs.push({ ...sent });
  }
}, 120_000);

const rawIncident = () => pipeline.mongo.collection('incidents').findOne({ groupKey });

describe('events kept apart from their incident', () => {
  it('when a monitor renotifies 200 times, then its document holds a summary and at most 50 events, and every event is filed once', async () => {
    const doc = (await rawIncident())!;
    expect(doc.eventCount).toBe(RENOTIFICATIONS);
    expect((doc.pendingEvents as unknown[]).length).toBeLessThanOrEqual(PENDING_EVENT_LIMIT);
    expect(doc).not.toHaveProperty('events');
    expect(doc).not.toHaveProperty('timeline');
    // At most 50 events of about 300 bytes, and the summary.
    expect(mongo.BSON.calculateObjectSize(doc)).toBeLessThan(30_000);
    const filed = await pipeline.mongo
      .collection<{ eventId: string }>('incident_events')
      .find({ incidentId: doc._id.toHexString() })
      .toArray();
    expect(filed.length).toBeGreaterThanOrEqual(RENOTIFICATIONS - PENDING_EVENT_LIMIT);
    expect(new Set(filed.map((e) => e.eventId)).size).toBe(filed.length);

    const [incident, ...others] = await storedIncidents(pipeline.mongo, { groupKey });
    expect(others).toEqual([]);
    const eventIds = incident!.events.map((e) => e.eventId);
    expect(eventIds).toHaveLength(RENOTIFICATIONS);
    expect(new Set(eventIds).size).toBe(RENOTIFICATIONS);
    expect(incident!.timeline.map((t) => t.at.getTime())).toEqual(
      Array.from({ length: RENOTIFICATIONS }, (_, i) => start + i * 60_000),
    );
  });

  it('when an open incident grows from 10 to 200 events, then a change writes the same bytes and costs the same commands: it is decided from the document, its filed events unread', () => {
    const window = (from: number) => costs.slice(from, from + PENDING_EVENT_LIMIT);
    const sum = (list: typeof costs, key: 'commands' | 'writeBytes') => list.reduce((n, c) => n + c[key], 0);
    const [at10, at60, at150] = [window(10), window(60), window(150)];
    process.stderr.write(
      `incident-events: 50 changes from event 10: ${sum(at10, 'commands')} commands, ${sum(at10, 'writeBytes')} B written; ` +
        `from 60: ${sum(at60, 'commands')}, ${sum(at60, 'writeBytes')} B; from 150: ${sum(at150, 'commands')}, ${sum(at150, 'writeBytes')} B\n`,
    );
    // Each window files its pending events once; nothing written grows with the incident.
    expect(sum(at60, 'writeBytes')).toBeLessThan(sum(at10, 'writeBytes') * 1.1);
    expect(sum(at150, 'writeBytes')).toBeLessThan(sum(at10, 'writeBytes') * 1.1);
    // Each window of 50 changes files once; no change of an open incident reads its filed events.
    expect(Math.abs(sum(at60, 'commands') - sum(at10, 'commands'))).toBeLessThanOrEqual(2);
    expect(Math.abs(sum(at150, 'commands') - sum(at10, 'commands'))).toBeLessThanOrEqual(2);
  });

  it('when the API is read, then the incident shows the first page of its timeline and the rest pages through, each entry once', async () => {
    const [incident] = await storedIncidents(pipeline.mongo, { groupKey });
    const whole = await pipeline.api(`/api/incidents/${incident!.id}`);
    expect(whole.status).toBe(200);
    expect(whole.body.timelineEntries).toBe(incident!.timeline.length);
    expect(whole.body.timeline).toHaveLength(Math.min(TIMELINE_PAGE_LIMIT, incident!.timeline.length));

    const keys: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await pipeline.api(`/api/incidents/${incident!.id}/timeline?limit=40${query}`);
      expect(res.status).toBe(200);
      const items = res.body.items as { at: string; kind: string }[];
      expect(items.length).toBeLessThanOrEqual(40);
      keys.push(...items.map((t) => `${t.at} ${t.kind}`));
      cursor = res.body.nextCursor as string | null;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(incident!.timeline.length / 40));
    expect(keys).toEqual(incident!.timeline.map((t) => `${t.at.toISOString()} ${t.kind}`));
  });

  it('when a timeline cursor is not one the API gave, or the limit is out of range, then the answer is a 400 naming it', async () => {
    const [incident] = await storedIncidents(pipeline.mongo, { groupKey });
    const forged = await pipeline.api(`/api/incidents/${incident!.id}/timeline?cursor=event:nope`);
    expect([forged.status, forged.body.error?.field]).toEqual([400, 'query.cursor']);
    const big = await pipeline.api(`/api/incidents/${incident!.id}/timeline?limit=100000`);
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toContain('limit');
  });

  it('when the incident then resolves, then it is decided on all its events and its draft tells the whole story', async () => {
    const at = new Date(start + RENOTIFICATIONS * 60_000).toISOString();
    expect(
      (await pipeline.postDatadog(datadogPayload({ transition: 'Recovered', monitorId, at }))).status,
    ).toBe(202);
    await pipeline.drain();
    const [incident] = await storedIncidents(pipeline.mongo, { groupKey });
    expect(incident).toMatchObject({ status: 'resolved', resolutionCount: 1, resolvedAt: new Date(at) });
    expect(incident!.events).toHaveLength(RENOTIFICATIONS + 1);
    const postmortem = await pipeline.api(`/api/incidents/${incident!.id}/postmortem`);
    expect(postmortem.status).toBe(200);
    const told = postmortem.body.facts.timeline as { at: string; kind: string }[];
    expect(told[0]).toMatchObject({ at: new Date(start).toISOString(), kind: 'triggered' });
    expect(told.slice(-2).map((t) => t.kind)).toEqual(['recovered', 'resolved']);
    expect(told).toHaveLength(RENOTIFICATIONS + 2);
  });
});
