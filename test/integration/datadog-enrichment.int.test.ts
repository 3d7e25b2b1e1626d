/**
 * Datadog enrichment through HTTP, Redis, the workers and the database, with a local stand-in for Datadog's API
 * (test/helpers/datadog-stand-in.ts, reached through DD_API_URL): a Datadog incident's monitor is described
 * once however many alerts and incidents it raises, shows on the incident and in the draft's Detection line;
 * a 403 is recorded once, naming the permission; Datadog rate-limited or down holds nothing up, and the
 * enrichment lands when it answers again. The keys appear in no log line.
 */
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';
import { DATADOG_PAYLOADS, startDatadogStandIn, type DatadogStandIn } from '../helpers/datadog-stand-in';

const MONITOR_ID = String(DATADOG_PAYLOADS.monitor.id);
let standIn: DatadogStandIn;
let pipeline: Pipeline;
beforeAll(async () => {
  standIn = await startDatadogStandIn();
  pipeline = await startPipeline({
    // Loading Datadog's client on the first call holds the worker's event loop a moment (a few hundred ms, more
    // on a loaded machine): a lock longer than the pipeline's 2 s keeps that from looking like a dead worker.
    env: {
      DD_API_KEY: standIn.apiKey,
      DD_APP_KEY: standIn.appKey,
      DD_API_URL: standIn.url,
      WORKER_LOCK_MS: '10000',
    },
  });
});
afterAll(async () => {
  await pipeline.close();
  await standIn.close();
});
beforeEach(() => standIn.reset());

/** A Datadog alert of the stand-in's monitor, or of `monitorId`. */
async function alert(transition: string, scope: string, at: string, monitorId = MONITOR_ID): Promise<void> {
  const res = await pipeline.postDatadog(datadogPayload({ transition, monitorId, scope, at }));
  expect(res.status).toBe(202);
}

async function incidentOf(monitorId: string): Promise<{ id: string; body: Record<string, unknown> }> {
  const doc = await pipeline.mongo
    .collection('incidents')
    .findOne({ groupKey: `datadog:monitor:${monitorId}` }, { sort: { _id: -1 } });
  const id = String(doc!._id);
  return { id, body: (await pipeline.api(`/api/incidents/${id}`)).body as Record<string, unknown> };
}

const monitorRequests = () => standIn.requests.filter((r) => r.route === 'monitor');

describe('Datadog enrichment of the monitor', () => {
  test('when a storm of alerts from one monitor opens an incident, then Datadog is asked once, and the incident and its draft show the monitor', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => alert('Triggered', `host:web-${i}`, '2026-06-14T10:00:00Z')),
    );
    await pipeline.drain();
    expect(monitorRequests().map((r) => [r.path, r.query.with_downtimes])).toEqual([
      [`/api/v1/monitor/${MONITOR_ID}`, 'true'],
    ]);
    const { id, body } = await incidentOf(MONITOR_ID);
    expect(body.datadog).toMatchObject({
      monitors: [
        {
          id: DATADOG_PAYLOADS.monitor.id,
          name: DATADOG_PAYLOADS.monitor.name,
          query: DATADOG_PAYLOADS.monitor.query,
          thresholds: { critical: 5, warning: 3 },
          tags: DATADOG_PAYLOADS.monitor.tags,
        },
      ],
      problems: [],
    });

    await Promise.all(
      Array.from({ length: 50 }, (_, i) => alert('Recovered', `host:web-${i}`, '2026-06-14T10:20:00Z')),
    );
    await pipeline.drain();
    const markdown = await pipeline.api(`/api/incidents/${id}/postmortem.md`);
    expect(markdown.text).toContain(
      `- Detection: Datadog monitor “${DATADOG_PAYLOADS.monitor.name}”, \`${DATADOG_PAYLOADS.monitor.query}\`, warning 3, critical 5`,
    );
    expect(monitorRequests()).toHaveLength(1);
  });

  test('when the keys lack monitors_read (403), then the incident and its draft are as without enrichment, and the problem is on the incident once', async () => {
    standIn.script('monitor', { status: 403, body: { errors: ['Forbidden'] } });
    await alert('Triggered', 'host:db-1', '2026-06-14T11:00:00Z', '20001');
    await alert('Recovered', 'host:db-1', '2026-06-14T11:10:00Z', '20001');
    await pipeline.drain();
    const { id, body } = await incidentOf('20001');
    expect(body).toMatchObject({
      status: 'resolved',
      datadog: {
        monitors: [],
        problems: [{ call: 'getMonitor', message: expect.stringContaining('monitors_read') }],
      },
    });
    const markdown = (await pipeline.api(`/api/incidents/${id}/postmortem.md`)).text;
    expect(markdown).toContain('- Detection: Datadog monitor “High error rate on web”');
    const failures = pipeline.logLines.filter((l) => l.includes('enrichment failed for good'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('monitors_read');
  });

  test('when Datadog is rate-limited and then down while the incident runs, then the incident and draft come as usual, and the monitor lands once it answers', async () => {
    standIn.script(
      'monitor',
      {
        status: 429,
        headers: {
          'X-RateLimit-Limit': '100',
          'X-RateLimit-Period': '10',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': '1',
        },
      },
      { status: 500, body: { errors: ['Internal Server Error'] } },
    );
    await alert('Triggered', 'host:api-1', '2026-06-14T12:00:00Z', '30001');
    await alert('Recovered', 'host:api-1', '2026-06-14T12:05:00Z', '30001');
    // The incident and its draft do not wait for Datadog.
    for (let i = 0; i < 200; i += 1) {
      const found = await pipeline.mongo.collection('postmortems').countDocuments({});
      if (found >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const { id } = await incidentOf('30001');
    const early = await pipeline.api(`/api/incidents/${id}/postmortem.md`);
    expect(early.status).toBe(200);
    expect(early.text).not.toContain(DATADOG_PAYLOADS.monitor.query);

    await pipeline.drain(60_000);
    expect(monitorRequests().map((r) => r.path)).toEqual([
      '/api/v1/monitor/30001',
      '/api/v1/monitor/30001',
      '/api/v1/monitor/30001',
    ]);
    const late = await pipeline.api(`/api/incidents/${id}/postmortem.md`);
    expect(late.text).toContain(`\`${DATADOG_PAYLOADS.monitor.query}\``);
    expect(pipeline.logLines.some((l) => l.includes('waiting for its reset'))).toBe(true);
  }, 60_000);

  test('when the run is over, then neither key appears in any log line', () => {
    const log = pipeline.logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(standIn.apiKey);
    expect(log).not.toContain(standIn.appKey);
  });
});
