/** Webhook -> Redis -> worker -> MongoDB -> read API, on real servers. */
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

type IncidentJson = {
  id: string;
  status: string;
  detectedAt: string;
  resolvedAt: string | null;
  durationSeconds: number | null;
  services: string[];
  hosts: string[];
  severity: string | null;
  alerts: { key: string; status: string; triggeredAt: string | null; recoveredAt: string | null }[];
  timeline: { at: string; receivedAt: string; kind: string; alertKey: string | null }[];
};

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
});

let monitorSeq = 5000;
const newMonitor = () => String((monitorSeq += 1));

async function send(payload: Record<string, string>): Promise<void> {
  const res = await pipeline.postDatadog(payload);
  expect(res.status).toBe(202);
}

async function incidentsOf(monitorId: string): Promise<IncidentJson[]> {
  await pipeline.drain();
  const list = await pipeline.api('/api/incidents?limit=200');
  expect(list.status).toBe(200);
  const ids = (list.body.items as { id: string; monitors: { id: string }[] }[])
    .filter((i) => i.monitors.some((m) => m.id === monitorId))
    .map((i) => i.id);
  const full = await Promise.all(ids.map((id) => pipeline.api(`/api/incidents/${id}`)));
  return full.map((r) => r.body as IncidentJson).reverse();
}

describe('multi-host lifecycle', () => {
  it('when web-1 alerts 10:02-10:49 and web-2 10:03-10:24, then one incident resolves at 10:49 after 47 minutes', async () => {
    const m = newMonitor();
    await send(
      datadogPayload({
        monitorId: m,
        transition: 'Triggered',
        scope: 'host:web-1',
        at: '2026-06-14T10:02:00Z',
      }),
    );
    await send(
      datadogPayload({
        monitorId: m,
        transition: 'Triggered',
        scope: 'host:web-2',
        at: '2026-06-14T10:03:00Z',
      }),
    );
    await send(
      datadogPayload({
        monitorId: m,
        transition: 'Recovered',
        scope: 'host:web-2',
        at: '2026-06-14T10:24:00Z',
      }),
    );

    let [incident, ...others] = await incidentsOf(m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ status: 'open', resolvedAt: null, durationSeconds: null });
    expect(incident!.alerts.map((a) => [a.key.split('|')[1], a.status])).toEqual([
      ['host:web-1', 'triggered'],
      ['host:web-2', 'recovered'],
    ]);

    await send(
      datadogPayload({
        monitorId: m,
        transition: 'Recovered',
        scope: 'host:web-1',
        at: '2026-06-14T10:49:00Z',
      }),
    );
    [incident, ...others] = await incidentsOf(m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({
      status: 'resolved',
      detectedAt: '2026-06-14T10:02:00.000Z',
      resolvedAt: '2026-06-14T10:49:00.000Z',
      durationSeconds: 47 * 60,
      services: ['web'],
      severity: 'P2',
    });
    expect(incident!.hosts.sort()).toEqual(['web-1', 'web-2']);
    expect(incident!.timeline.map((t) => [t.at.slice(11, 16), t.kind])).toEqual([
      ['10:02', 'triggered'],
      ['10:03', 'triggered'],
      ['10:24', 'recovered'],
      ['10:49', 'recovered'],
      ['10:49', 'resolved'],
    ]);
    for (const entry of incident!.timeline)
      expect(Date.parse(entry.receivedAt)).toBeGreaterThan(Date.parse(entry.at));
  });
});

describe('duplicates and order', () => {
  it('when the same event is delivered three times, then it takes effect once', async () => {
    const m = newMonitor();
    const trigger = datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T11:00:00Z' });
    await Promise.all([send(trigger), send(trigger), send(trigger)]);
    await pipeline.drain();
    await send(trigger);
    const incidents = await incidentsOf(m);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.timeline).toHaveLength(1);
  });

  it('when the same bytes come without an $ID, then they are one event', async () => {
    const m = newMonitor();
    const { id: _id, ...withoutId } = datadogPayload({
      monitorId: m,
      transition: 'Triggered',
      at: '2026-06-14T11:05:00Z',
    });
    await send(withoutId);
    await pipeline.drain();
    await send(withoutId);
    const incidents = await incidentsOf(m);
    expect(incidents[0]!.timeline).toHaveLength(1);
  });

  it('when the recovery arrives before its trigger, then the incident ends resolved with the right duration', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-14T12:49:00Z' }));
    await pipeline.drain();
    expect(await incidentsOf(m)).toHaveLength(0);
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T12:02:00Z' }));
    const [incident, ...others] = await incidentsOf(m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ status: 'resolved', durationSeconds: 47 * 60 });
    expect(incident!.timeline.map((t) => t.kind)).toEqual(['triggered', 'recovered', 'resolved']);
  });

  it('when a stale trigger arrives after its recovery, then it reopens nothing', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T13:00:00Z' }));
    await send(datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-14T13:20:00Z' }));
    await pipeline.drain();
    await send(datadogPayload({ monitorId: m, transition: 'Re-Triggered', at: '2026-06-14T13:10:00Z' }));
    const [incident, ...others] = await incidentsOf(m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-06-14T13:20:00.000Z',
      durationSeconds: 20 * 60,
    });
    expect(incident!.timeline.map((t) => t.kind)).toEqual([
      'triggered',
      'retriggered',
      'recovered',
      'resolved',
    ]);
  });
});

describe('flapping', () => {
  it('when the monitor triggers again within the reopen window, then the same incident reopens', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T14:00:00Z' }));
    await send(datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-14T14:10:00Z' }));
    await pipeline.drain();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T14:25:00Z' }));
    const [incident, ...others] = await incidentsOf(m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({
      status: 'open',
      detectedAt: '2026-06-14T14:00:00.000Z',
      resolvedAt: null,
    });
    expect(incident!.timeline.map((t) => t.kind)).toEqual([
      'triggered',
      'recovered',
      'resolved',
      'triggered',
      'reopened',
    ]);
  });

  it('when a late trigger reopens the incident, then the recovery held past its window joins and resolves it again', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T19:00:00Z' }));
    await send(datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-14T19:30:00Z' }));
    await pipeline.drain();
    // 35 minutes after the resolution: past the reopen window, and no incident is open, so it is held.
    const held = datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-14T20:05:00Z' });
    await send(held);
    await pipeline.drain();
    const heldLog = () => pipeline.mongo.collection('alert_log').findOne({ eventId: `datadog:${held.id}` });
    expect(await heldLog()).toMatchObject({ status: 'held' });

    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T19:55:00Z' }));
    const [incident, ...others] = await incidentsOf(m);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({
      status: 'resolved',
      detectedAt: '2026-06-14T19:00:00.000Z',
      resolvedAt: '2026-06-14T20:05:00.000Z',
    });
    expect(incident!.timeline.map((t) => [t.at.slice(11, 16), t.kind])).toEqual([
      ['19:00', 'triggered'],
      ['19:30', 'recovered'],
      ['19:30', 'resolved'],
      ['19:55', 'triggered'],
      ['19:55', 'reopened'],
      ['20:05', 'recovered'],
      ['20:05', 'resolved'],
    ]);
    expect(await heldLog()).toMatchObject({ status: 'applied', incidentId: incident!.id });
  });

  it('when it triggers again after the window, then a new incident opens', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T15:00:00Z' }));
    await send(datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-14T15:10:00Z' }));
    await pipeline.drain();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T15:41:00Z' }));
    const incidents = await incidentsOf(m);
    expect(incidents.map((i) => [i.status, i.detectedAt])).toEqual([
      ['resolved', '2026-06-14T15:00:00.000Z'],
      ['open', '2026-06-14T15:41:00.000Z'],
    ]);
  });
});

describe('warnings, no data and tests', () => {
  it('when a warning precedes the trigger, then it opens nothing but appears on the incident that opens', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Warn', at: '2026-06-14T16:00:00Z' }));
    await pipeline.drain();
    expect(await incidentsOf(m)).toHaveLength(0);
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T16:05:00Z' }));
    const [incident] = await incidentsOf(m);
    expect(incident!.detectedAt).toBe('2026-06-14T16:05:00.000Z');
    expect(incident!.timeline.map((t) => t.kind)).toEqual(['warn', 'triggered']);
  });

  it('when a monitor reports no data while its incident is open, then the timeline records it', async () => {
    const m = newMonitor();
    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T16:30:00Z' }));
    await pipeline.drain();
    await send(datadogPayload({ monitorId: m, transition: 'No Data', at: '2026-06-14T16:35:00Z' }));
    const [incident] = await incidentsOf(m);
    expect(incident).toMatchObject({ status: 'open' });
    expect(incident!.timeline.map((t) => t.kind)).toEqual(['triggered', 'no_data']);
  });

  it('when a test notification comes, then it is answered 202 and opens no incident', async () => {
    const m = newMonitor();
    const payload = datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T17:00:00Z' });
    payload.event_title = `[TEST] ${payload.event_title}`;
    payload.alert_title = `[TEST] ${payload.alert_title}`;
    const res = await pipeline.postDatadog(payload);
    expect(res.status).toBe(202);
    expect(res.body.accepted[0].test).toBe(true);
    expect(await incidentsOf(m)).toHaveLength(0);
    const logged = await pipeline.mongo.collection('alert_log').findOne({ eventId: `datadog:${payload.id}` });
    expect(logged).toMatchObject({ status: 'test' });
  });
});

describe('alert log', () => {
  it('when an alert is accepted, then its raw payload and parse result are kept', async () => {
    const m = newMonitor();
    const payload = datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-14T18:00:00Z' });
    await send(payload);
    await pipeline.drain();
    const logged = await pipeline.mongo.collection('alert_log').findOne({ eventId: `datadog:${payload.id}` });
    expect(logged).toMatchObject({
      status: 'applied',
      contentType: 'application/json',
      groupKey: `datadog:monitor:${m}`,
    });
    expect(JSON.parse(logged!.raw as string)).toEqual(payload);
    expect(JSON.parse(logged!.alertJson as string)).toMatchObject({
      transition: 'triggered',
      scope: 'host:web-1',
    });
  });
});

describe('alert log API', () => {
  it('when alerts are held, applied or tests, then GET /api/alert-log lists them by status and by incident, newest first, page by page', async () => {
    const m = newMonitor();
    const held = datadogPayload({ monitorId: m, transition: 'Warn', at: '2026-06-15T09:00:00Z' });
    await send(held);
    await pipeline.drain();
    const heldPage = await pipeline.api('/api/alert-log?status=held&limit=200');
    expect(heldPage.status).toBe(200);
    const heldEntry = (heldPage.body.items as { eventId: string; note: string; raw: string }[]).find(
      (i) => i.eventId === `datadog:${held.id}`,
    );
    expect(heldEntry?.note).toMatch(/no incident/);
    expect(JSON.parse(heldEntry!.raw)).toEqual(held);

    await send(datadogPayload({ monitorId: m, transition: 'Triggered', at: '2026-06-15T09:05:00Z' }));
    await send(datadogPayload({ monitorId: m, transition: 'Recovered', at: '2026-06-15T09:30:00Z' }));
    const [incident] = await incidentsOf(m);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await pipeline.api(`/api/alert-log?incidentId=${incident!.id}&limit=2${query}`);
      expect(page.status).toBe(200);
      for (const item of page.body.items as { status: string; incidentId: string; receivedAt: string }[]) {
        expect(item).toMatchObject({ status: 'applied', incidentId: incident!.id });
        seen.push(item.receivedAt);
      }
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(seen).toHaveLength(3);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('when the alert log is asked for status and incident at once or with a forged cursor, then 400 names the field', async () => {
    const both = await pipeline.api('/api/alert-log?status=held&incidentId=6b0459a1772a8ca6f6e25918');
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('status');
    const forged = await pipeline.api('/api/alert-log?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(forged.body.error.field).toBe('cursor');
  });
});
