/**
 * What a sender controls is bounded before it is queued, and what the API accepts the worker applies: through
 * HTTP, Redis, the worker and the database. An 800 KB scope, 20,000 service tags and NUL characters make an
 * incident of ordinary size; a date the worker would refuse is a 400 at the door, with nothing queued.
 */
import { mongo } from 'mongoose';
import type { AlertLogDoc } from '../../src/persistence/alert-log.model';
import type { IncidentDoc } from '../../src/persistence/incident.model';
import { ALERT_BOUNDS } from '../../src/payloads/alert-bounds';
import { ALERT_LOG_PAGE_CHARS } from '../../src/persistence/alert-log.repository';
import { datadogPayload, queuedAlerts, startPipeline, type Pipeline } from '../helpers/pipeline';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
});

let monitorSeq = Math.floor(Math.random() * 1e6) * 100;
const newMonitor = () => String((monitorSeq += 1));
const incidents = () => pipeline.mongo.collection<IncidentDoc>('incidents');
const alertLog = () => pipeline.mongo.collection<AlertLogDoc>('alert_log');
const at = '2026-06-14T10:00:00.000Z';

async function incidentOf(monitorId: string): Promise<IncidentDoc> {
  await pipeline.drain();
  const doc = await incidents().findOne({ groupKey: `datadog:monitor:${monitorId}` });
  if (doc === null) throw new Error(`no incident for monitor ${monitorId}`);
  return doc;
}

describe('bounds on what a sender controls', () => {
  it('when five webhooks carry an 800 KB scope each, then they are applied, and the incident and its API answer stay small', async () => {
    const monitorId = newMonitor();
    for (let i = 0; i < 5; i += 1) {
      const scope = `host:${String(i)}${'x'.repeat(800_000)}`;
      const res = await pipeline.postDatadog({
        ...datadogPayload({ transition: 'Triggered', monitorId, at, tags: 'service:web' }),
        alert_scope: scope,
      });
      expect(res.status).toBe(202);
    }
    const doc = await incidentOf(monitorId);
    expect(doc.pendingEvents).toHaveLength(5);
    for (const alert of doc.alerts) expect(alert.scope!.length).toBeLessThanOrEqual(ALERT_BOUNDS.scope);
    // Five events, each with its scope cut to 1,000 characters: tens of KB, where it was 19.5 MB.
    expect(mongo.BSON.calculateObjectSize(doc)).toBeLessThan(100_000);
    const answer = await pipeline.api(`/api/incidents/${doc._id.toHexString()}`);
    expect(answer.status).toBe(200);
    expect(answer.text.length).toBeLessThan(100_000);
    // The alert log still has each payload as it was received, and pages through them within 4 MB a page.
    const logged = await alertLog()
      .find({ groupKey: `datadog:monitor:${monitorId}` })
      .toArray();
    expect(logged.map((l) => l.raw.length).every((n) => n > 800_000)).toBe(true);
    const first = await pipeline.api(`/api/alert-log?incidentId=${doc._id.toHexString()}&limit=200`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(4);
    expect(first.text.length).toBeLessThan(ALERT_LOG_PAGE_CHARS * 1.2);
    const second = await pipeline.api(
      `/api/alert-log?incidentId=${doc._id.toHexString()}&limit=200&cursor=${first.body.nextCursor as string}`,
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });

  it('when a webhook carries 20,000 service tags, then the incident names at most 50 services', async () => {
    const monitorId = newMonitor();
    const tags = Array.from({ length: 20_000 }, (_, i) => `service:svc-${i}`).join(',');
    const res = await pipeline.postDatadog(datadogPayload({ transition: 'Triggered', monitorId, at, tags }));
    expect(res.status).toBe(202);
    const doc = await incidentOf(monitorId);
    expect(doc.services).toHaveLength(ALERT_BOUNDS.services);
    expect(doc.services[0]).toBe('svc-0');
  });

  it('when text holds NUL characters, then they are removed and the alert is applied at the first attempt', async () => {
    const monitorId = newMonitor();
    const payload = datadogPayload({
      transition: 'Triggered',
      monitorId,
      at,
      title: 'Disk\u0000 full',
      scope: 'host:db\u0000-1',
    });
    const res = await pipeline.postDatadog(payload);
    expect(res.status).toBe(202);
    const doc = await incidentOf(monitorId);
    expect(doc.title).toBe('Disk full');
    expect(doc.alerts.map((a) => a.scope)).toEqual(['host:db-1']);
    expect(await pipeline.queue.getJobCounts('failed', 'delayed')).toEqual({ failed: 0, delayed: 0 });
    const failures = pipeline.logLines.filter((l) => l.includes('"msg":"job failed"'));
    expect(failures).toEqual([]);
  });

  it('when an alert is dated in the year 10000, then the webhook is a 400 naming the alert time, and nothing is queued or logged', async () => {
    const monitorId = newMonitor();
    const payload = {
      ...datadogPayload({ transition: 'Triggered', monitorId, at }),
      date: String(Date.parse('+010000-01-01T00:00:00Z')),
    };
    const before = queuedAlerts(pipeline);
    const res = await pipeline.postDatadog(payload);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: expect.objectContaining({ code: 'invalid_payload', field: 'alert.at' }),
    });
    expect(res.body.error.message).toContain('years 0000 to 9999');
    expect(queuedAlerts(pipeline)).toBe(before);
    await pipeline.drain();
    expect(await alertLog().countDocuments({ groupKey: `datadog:monitor:${monitorId}` })).toBe(0);
  });
});
