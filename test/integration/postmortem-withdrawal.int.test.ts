/**
 * A draft made for a resolution that late alerts undo: through HTTP, Redis, the worker and the database. db-1
 * fires at 10:11 and recovers at 10:21, which resolves the incident and drafts its postmortem; then db-2's trigger
 * of 10:13 arrives: db-2 was firing all along, so the incident never resolved. A draft nobody worked on is
 * withdrawn; one someone wrote in is kept; either way, the incident's later resolution has its draft.
 */
import request from 'supertest';
import { API_TOKEN, WEBHOOK_TOKEN, startPipeline, type Pipeline } from '../helpers/pipeline';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
});

function alert(key: string, host: string, status: 'triggered' | 'recovered', hhmm: string) {
  return request(pipeline.app)
    .post('/webhooks/generic')
    .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
    .set('Content-Type', 'application/json')
    .send({
      id: `${key}-${host}-${status}-${hhmm}`,
      key,
      alert: host,
      title: `${key} failing`,
      status,
      at: `2026-06-14T${hhmm}:00Z`,
    });
}

async function deliver(...sends: request.Test[]): Promise<void> {
  for (const send of sends) expect((await send).status).toBe(202);
  await pipeline.drain();
}

async function incidentOf(key: string): Promise<{ id: string; status: string; resolutionCount: number }> {
  const doc = await pipeline.mongo.collection('incidents').findOne({ groupKey: `generic:${key}` });
  return { id: String(doc!._id), status: String(doc!.status), resolutionCount: Number(doc!.resolutionCount) };
}

const postmortemOf = (id: string) => pipeline.api(`/api/incidents/${id}/postmortem`);

describe('a draft whose resolution late alerts undo', () => {
  test('when nobody worked on it, then it is withdrawn, and the later resolution gets a new draft', async () => {
    await deliver(
      alert('batch-a', 'db-1', 'triggered', '10:11'),
      alert('batch-a', 'db-1', 'recovered', '10:21'),
    );
    const resolved = await incidentOf('batch-a');
    expect((await postmortemOf(resolved.id)).status).toBe(200);

    await deliver(alert('batch-a', 'db-2', 'triggered', '10:13'));
    expect(await incidentOf('batch-a')).toEqual({ id: resolved.id, status: 'open', resolutionCount: 0 });
    expect((await postmortemOf(resolved.id)).status).toBe(404);

    await deliver(alert('batch-a', 'db-2', 'recovered', '10:30'));
    const drafted = await postmortemOf(resolved.id);
    expect(drafted.status).toBe(200);
    expect(drafted.body.facts).toMatchObject({
      resolvedAt: '2026-06-14T10:30:00.000Z',
      durationSeconds: 1140,
    });
  });

  test('when someone wrote in it, then it is kept, and redrawn when the incident resolves', async () => {
    await deliver(
      alert('batch-b', 'db-1', 'triggered', '10:11'),
      alert('batch-b', 'db-1', 'recovered', '10:21'),
    );
    const { id } = await incidentOf('batch-b');
    const { version } = (await postmortemOf(id)).body as { version: number };
    const edit = await request(pipeline.app)
      .patch(`/api/incidents/${id}/postmortem`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .set('If-Match', `"${version}"`)
      .send({ sections: { resolution: 'restarted the batch host' } });
    expect(edit.status).toBe(200);

    await deliver(alert('batch-b', 'db-2', 'triggered', '10:13'));
    expect((await incidentOf('batch-b')).status).toBe('open');
    expect((await postmortemOf(id)).body.sections.resolution).toBe('restarted the batch host');

    await deliver(alert('batch-b', 'db-2', 'recovered', '10:30'));
    const redrawn = (await postmortemOf(id)).body as {
      facts: { resolvedAt: string };
      sections: { resolution: string };
    };
    expect([redrawn.facts.resolvedAt, redrawn.sections.resolution]).toEqual([
      '2026-06-14T10:30:00.000Z',
      'restarted the batch host',
    ]);
  });
});
