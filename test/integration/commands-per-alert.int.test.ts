/**
 * What a storm costs the database, counted with the MongoDB driver's command monitoring on the worker's
 * connection (the count holds for MongoDB as well as for the test server): a batch's alerts are recorded,
 * read, written and settled together, not with four to six round trips each.
 */
import { parseDatadogWebhook } from '../../src/sources/datadog/datadog.adapter';
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

let pipeline: Pipeline;
const commands = new Map<string, number>();
beforeAll(async () => {
  // No worker yet: the alerts are queued first, then one worker applies them.
  pipeline = await startPipeline({
    workers: 0,
    onWorkerCommand: (name) => commands.set(name, (commands.get(name) ?? 0) + 1),
  });
});
afterAll(async () => {
  await pipeline.close();
});

let working = false;
/** The one worker of these tests, started the first time a test needs it. */
async function oneWorker(): Promise<void> {
  if (!working) await pipeline.addWorker();
  working = true;
}

const total = () => [...commands.values()].reduce((a, b) => a + b, 0);
let monitorSeq = 8_100_000 + Math.floor(Math.random() * 100_000);

function alertsOf(payload: Record<string, string>) {
  const raw = JSON.stringify(payload);
  return {
    raw,
    alerts: parseDatadogWebhook(payload, {
      receivedAt: new Date(),
      rawBody: raw,
      serviceTagKeys: ['service'],
      hostTagKeys: ['host'],
    }),
  };
}

describe('database commands per alert', () => {
  it('when 50 monitors trigger on 2 hosts each in one batch, then the 100 alerts cost at most a quarter of a command each', async () => {
    const payloads = Array.from({ length: 50 }, () => String((monitorSeq += 1))).flatMap((monitorId) =>
      ['web-1', 'web-2'].map((host) =>
        datadogPayload({
          transition: 'Triggered',
          monitorId,
          scope: `host:${host}`,
          at: '2026-06-14T10:00:00Z',
        }),
      ),
    );
    // Accepted in one turn of the event loop, as a storm's webhooks are: one job.
    await Promise.all(
      payloads.map((payload) => {
        const { raw, alerts } = alertsOf(payload);
        return pipeline.publisher.publish(alerts, {
          receivedAt: new Date(),
          contentType: 'application/json',
          raw,
        });
      }),
    );
    await oneWorker();
    commands.clear();
    await pipeline.drain();
    const incidents = await pipeline.mongo
      .collection('incidents')
      .countDocuments({ groupKey: { $in: payloads.map((p) => `datadog:monitor:${p.alert_id}`) } });
    expect(incidents).toBe(50);
    const logged = await pipeline.mongo
      .collection('alert_log')
      .countDocuments({ eventId: { $in: payloads.map((p) => `datadog:${p.id}`) }, status: 'applied' });
    expect(logged).toBe(100);
    // One alert at a time this was 4 to 6 commands per alert (record, read, write, mark, held reads); the batch
    // is 1 insert, 3 reads, 5 bulk writes of 10 incidents and 10 of 10 log statuses.
    process.stderr.write(
      `commands-per-alert: ${total()} for 100 alerts: ${JSON.stringify(Object.fromEntries(commands))}\n`,
    );
    expect(total() / payloads.length).toBeLessThanOrEqual(0.25);
  });
});

describe('database commands of a lone incident', () => {
  it('when one monitor triggers and recovers, then both alerts and the draft cost at most 10 commands, the draft one insert', async () => {
    await oneWorker();
    const monitorId = String((monitorSeq += 1));
    const post = async (transition: string, minute: string) => {
      const res = await pipeline.postDatadog(
        datadogPayload({ transition, monitorId, scope: 'host:web-1', at: `2026-06-14T10:${minute}:00Z` }),
      );
      expect(res.status).toBe(202);
      await pipeline.drain();
    };
    commands.clear();
    await post('Triggered', '00');
    await post('Recovered', '20');
    const incident = await pipeline.mongo
      .collection('incidents')
      .findOne({ groupKey: `datadog:monitor:${monitorId}` }, { projection: { _id: 1, status: 1 } });
    expect(incident?.status).toBe('resolved');
    expect(
      await pipeline.mongo.collection('postmortems').countDocuments({ _id: String(incident!._id) } as object),
    ).toBe(1);
    process.stderr.write(
      `lone incident: ${total()} commands: ${JSON.stringify(Object.fromEntries(commands))}\n`,
    );
    expect(total()).toBeLessThanOrEqual(10);
  });
});
