/**
 * Every source in the list, through HTTP, Redis, the worker and the database: its lifecycle fixtures (a trigger,
 * then its recovery) open one incident carrying the source's name, resolve it, and draft its postmortem.
 */
import type { ObjectId } from 'mongodb';
import request from 'supertest';
import { SOURCES } from '../../src/sources';
import { WEBHOOK_TOKEN, startPipeline, type Pipeline } from '../helpers/pipeline';
import { fixturesOf, lifecycleOf, rawBodyOf, type SourceFixture } from '../helpers/source-fixtures';

let pipeline: Pipeline;
beforeAll(async () => {
  // Every lifecycle fixture's settings at once: each source reads only its own variables.
  const env = Object.assign(
    {},
    ...SOURCES.flatMap((s) => fixturesOf(s.name).map((f) => f.env ?? {})),
  ) as Record<string, string>;
  pipeline = await startPipeline({ env });
});
afterAll(async () => {
  await pipeline.close();
});

function post(name: string, fixture: SourceFixture): request.Test {
  let req = request(pipeline.app)
    .post(`/webhooks/${name}`)
    .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
    .set('Content-Type', fixture.contentType);
  for (const [header, value] of Object.entries(fixture.headers ?? {})) req = req.set(header, value);
  return req.send(rawBodyOf(fixture));
}

interface IncidentDoc {
  _id: ObjectId;
  source: string;
  status: string;
  detectedAt: Date;
  resolvedAt: Date | null;
}

describe.each(SOURCES.map((source) => [source.name] as const))('%s lifecycle', (name) => {
  it('when its trigger and then its recovery are posted, then one incident of that source opens, resolves and gets a draft', async () => {
    const { trigger, recovery } = lifecycleOf(name);
    const incidents = pipeline.mongo.collection<IncidentDoc>('incidents');

    const first = await post(name, trigger);
    expect([first.status, first.body]).toEqual([
      202,
      expect.objectContaining({ accepted: expect.any(Array) }),
    ]);
    expect(first.body.accepted.length).toBeGreaterThan(0);
    await pipeline.drain();
    const opened = await incidents.find({ source: name }).toArray();
    expect(opened.map((i) => i.status)).toEqual(['open']);

    const second = await post(name, recovery);
    expect(second.status).toBe(202);
    await pipeline.drain();
    const [resolved] = await incidents.find({ source: name }).toArray();
    expect(resolved?.status).toBe('resolved');
    expect(resolved!.resolvedAt!.getTime()).toBeGreaterThan(resolved!.detectedAt.getTime());
    const drafts = await pipeline.mongo
      .collection('postmortems')
      .countDocuments({ _id: String(resolved!._id) } as object);
    expect(drafts).toBe(1);

    // The same bytes again change nothing.
    expect((await post(name, recovery)).status).toBe(202);
    await pipeline.drain();
    expect(await incidents.countDocuments({ source: name })).toBe(1);
  });
});
