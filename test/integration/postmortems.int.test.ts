/**
 * Postmortems end to end: alerts resolve an incident, the draft is written and handed to ops (a local HTTP
 * server stands in for Slack and for a generic webhook), and on-call complete it through the API.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { API_TOKEN, datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { anyOf, LAGOS_NAMES } from '../helpers/postmortems';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

let receiver: { url: (p: string) => string; received: Received[]; close: () => Promise<void> };
let pipeline: Pipeline;
let dir: string;

async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

beforeAll(async () => {
  receiver = await startReceiver();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-pm-'));
  const targets = path.join(dir, 'targets.json');
  fs.writeFileSync(
    targets,
    JSON.stringify([
      {
        id: 'ops-slack',
        type: 'slack',
        url: receiver.url('/slack'),
        events: ['postmortem.drafted', 'action_items.overdue'],
      },
      {
        id: 'ops-hook',
        type: 'webhook',
        url: receiver.url('/hook'),
        events: ['postmortem.drafted', 'incident.opened', 'incident.resolved', 'action_items.overdue'],
      },
    ]),
  );
  pipeline = await startPipeline({
    env: { DISPLAY_TIMEZONE: 'Africa/Lagos', NOTIFY_TARGETS_FILE: targets, NOTIFY_BACKOFF_MS: '50' },
  });
});
afterAll(async () => {
  await pipeline.close();
  await receiver.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const authed = (test: request.Test) => test.set('Authorization', `Bearer ${API_TOKEN}`);
const patch = (p: string) => authed(request(pipeline.app).patch(p));
const post = (p: string) => authed(request(pipeline.app).post(p));

let monitorSeq = 7000;
async function send(payload: Record<string, string>) {
  expect((await pipeline.postDatadog(payload)).status).toBe(202);
}
async function incidentOf(monitorId: string): Promise<{ id: string; services: string[]; status: string }> {
  await pipeline.drain();
  const list = await pipeline.api('/api/incidents?limit=200');
  return (
    list.body.items as { id: string; services: string[]; status: string; monitors: { id: string }[] }[]
  ).find((i) => i.monitors.some((m) => m.id === monitorId))!;
}

/** The reference report's incident: 404s on the home, login and booking pages, 18:26 to 19:58 WAT. */
async function replayReferenceIncident(): Promise<string> {
  const monitorId = String((monitorSeq += 1));
  const page = (scope: string, service: string, transition: string, at: string) =>
    datadogPayload({
      monitorId,
      title: 'Home page 404s',
      transition,
      scope,
      at,
      priority: 'P1',
      tags: `service:${service},env:prod`,
    });
  await send(page('url:/', 'web', 'Triggered', '2019-06-28T17:26:00Z'));
  await send(page('url:/login', 'web', 'Triggered', '2019-06-28T17:26:30Z'));
  await send(page('url:/booking', 'booking', 'Triggered', '2019-06-28T17:27:00Z'));
  await send(page('url:/login', 'web', 'Recovered', '2019-06-28T18:41:00Z'));
  await send(page('url:/booking', 'booking', 'Recovered', '2019-06-28T18:52:00Z'));
  await send(page('url:/', 'web', 'Recovered', '2019-06-28T18:58:00Z'));
  return (await incidentOf(monitorId)).id;
}

/** Africa/Lagos's name as the documented ICU versions write it (`WAT` or `GMT+1`), as a RegExp part. */
const lagosZone = anyOf(LAGOS_NAMES);

describe('the reference report, replayed', () => {
  let incidentId: string;
  beforeAll(async () => {
    incidentId = await replayReferenceIncident();
  });

  it('when the incident resolves, then its draft says "From 18:26 to 19:58 WAT (1 h 32 min)" with the detection, the recovery and the services', async () => {
    const res = await pipeline.api(`/api/incidents/${incidentId}/postmortem`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    expect(res.body.status).toBe('draft');
    expect(res.body.facts.issueSummary).toMatch(
      new RegExp(`^From 18:26 to 19:58 ${lagosZone} \\(1 h 32 min\\), `),
    );
    expect([...(res.body.facts.services as string[])].sort()).toEqual(['booking', 'web']);
    const kinds = (res.body.facts.timeline as { kind: string }[]).map((t) => t.kind);
    expect(kinds[0]).toBe('triggered');
    expect(kinds.at(-1)).toBe('resolved');
    expect(kinds.filter((k) => k === 'recovered')).toHaveLength(3);
    expect(res.body.missingForPublication.length).toBeGreaterThan(0);
  });

  it('when postmortems are inserted together and one incident has one already, then the others are written and that one is named and kept', async () => {
    const store = pipeline.repositories.postmortems;
    const existing = (await store.find(incidentId))!;
    const otherId = IncidentRepository.newId();
    const known = await store.insertMany([
      {
        ...existing,
        version: 7,
        sections: { ...existing.sections, lessons: { wentWell: 'overwritten?', wentWrong: null } },
      },
      { ...existing, incidentId: otherId },
    ]);
    expect(known).toEqual(new Set([incidentId]));
    expect(await store.find(incidentId)).toEqual(existing);
    expect(await store.find(otherId)).toEqual({ ...existing, incidentId: otherId });
  });

  it('when the draft is asked for as Markdown, then it reads like the report', async () => {
    const res = await pipeline.api(`/api/incidents/${incidentId}/postmortem.md`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    for (const heading of [
      '## Incident summary',
      '## Issue summary',
      '## Timeline',
      '## Root cause',
      '## Action items',
    ]) {
      expect(res.text).toContain(heading);
    }
    expect(res.text).toMatch(new RegExp(`^- Start: 18:26 ${lagosZone}$`, 'm'));
  });

  it('when the draft is ready, then ops receive it once on Slack and on the webhook, with the incident resolved before it', async () => {
    const slack = receiver.received.filter(
      (r) => r.path === '/slack' && JSON.stringify(r.body).includes(incidentId),
    );
    const hook = receiver.received.filter(
      (r) => r.path === '/hook' && r.body.url !== undefined && JSON.stringify(r.body).includes(incidentId),
    );
    expect(slack).toHaveLength(1);
    expect(String(slack[0]!.body.text)).toContain('1 h 32 min');
    expect(hook.map((r) => r.body.event).sort()).toEqual([
      'incident.opened',
      'incident.resolved',
      'postmortem.drafted',
    ]);
    const drafted = hook.find((r) => r.body.event === 'postmortem.drafted')!;
    expect(String(drafted.body.markdown)).toContain('# Postmortem: Home page 404s');
    expect((drafted.body.postmortem as { incidentId: string }).incidentId).toBe(incidentId);
  });
});

describe('completing the draft', () => {
  let incidentId: string;
  let version: number;
  beforeAll(async () => {
    incidentId = await replayReferenceIncident();
    version = (await pipeline.api(`/api/incidents/${incidentId}/postmortem`)).body.version as number;
  });

  it('when an edit names no version, then 428; a malformed field, then 400 naming it', async () => {
    const none = await patch(`/api/incidents/${incidentId}/postmortem`).send({
      sections: { resolution: 'x' },
    });
    expect(none.status).toBe(428);
    const bad = await patch(`/api/incidents/${incidentId}/postmortem`).send({
      version,
      sections: { rootCause: { technical: 5 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('sections.rootCause.technical');
  });

  it('when two people edit the same version at once, then one wins and the other gets 409', async () => {
    const [a, b] = await Promise.all([
      patch(`/api/incidents/${incidentId}/postmortem`)
        .set('If-Match', `"${version}"`)
        .send({ sections: { incidentLead: 'alice' } }),
      patch(`/api/incidents/${incidentId}/postmortem`)
        .set('If-Match', `"${version}"`)
        .send({ sections: { incidentLead: 'bob' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.currentVersion).toBe(version + 1);
    version += 1;
  });

  it('when publishing lacks a root cause and an owned, dated action item, then 422 lists them; once written, it publishes', async () => {
    const refused = await post(`/api/incidents/${incidentId}/postmortem/publish`).send({ version });
    expect(refused.status).toBe(422);
    expect(refused.body.error.missing).toHaveLength(2);

    const written = await patch(`/api/incidents/${incidentId}/postmortem`).send({
      version,
      status: 'in_review',
      sections: {
        rootCause: { technical: 'An href pointed to localhost.' },
        lessons: { wentWell: 'Rollback was quick.' },
      },
    });
    expect(written.status).toBe(200);
    expect(written.body.sections.rootCause).toEqual({
      technical: 'An href pointed to localhost.',
      human: null,
      process: null,
    });
    version = written.body.version as number;

    const unowned = await post(`/api/incidents/${incidentId}/postmortem/action-items`).send({
      task: 'Test header changes',
    });
    expect(unowned.status).toBe(201);
    expect((await post(`/api/incidents/${incidentId}/postmortem/publish`).send({ version })).status).toBe(
      422,
    );

    const item = await patch(`/api/incidents/${incidentId}/postmortem/action-items/${unowned.body.id}`).send({
      owner: 'alice',
      deadline: '2019-07-05',
      version: unowned.body.version,
    });
    expect(item.status).toBe(200);
    const published = await post(`/api/incidents/${incidentId}/postmortem/publish`).set(
      'If-Match',
      `"${version}"`,
    );
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', missingForPublication: [] });
    expect(published.body.publishedAt).not.toBeNull();
    const md = await pipeline.api(`/api/incidents/${incidentId}/postmortem.md`);
    expect(md.text).toContain('An href pointed to localhost.');
    expect(md.text).toMatch(/\| Test header changes \| alice \| 2019-07-05 \| open \|/);
  });

  it('when action items are completed, deleted and listed, then each change shows and stale versions are refused', async () => {
    const created = await post(`/api/incidents/${incidentId}/postmortem/action-items`).send({
      task: 'Alert before customers do',
      owner: 'bob',
      deadline: '2019-07-01',
    });
    const id = created.body.id as string;
    const done = await post(`/api/incidents/${incidentId}/postmortem/action-items/${id}/complete`).send({
      version: 1,
    });
    expect(done.body).toMatchObject({ status: 'done', version: 2 });
    expect(done.body.completedAt).not.toBeNull();
    const stale = await patch(`/api/incidents/${incidentId}/postmortem/action-items/${id}`).send({
      version: 1,
      task: 'x',
    });
    expect(stale.status).toBe(409);
    const badDate = await post(`/api/incidents/${incidentId}/postmortem/action-items`).send({
      task: 't',
      deadline: '07/01/2019',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.field).toBe('deadline');
    const removed = await authed(
      request(pipeline.app).delete(`/api/incidents/${incidentId}/postmortem/action-items/${id}`),
    );
    expect(removed.status).toBe(204);
    const list = await pipeline.api(`/api/incidents/${incidentId}/postmortem/action-items`);
    expect((list.body.items as { id: string }[]).map((i) => i.id)).not.toContain(id);
  });

  it('when open action items are past their deadline, then /api/action-items?overdue=true lists them across incidents, not the done or future ones', async () => {
    const other = await replayReferenceIncident();
    const late = await post(`/api/incidents/${other}/postmortem/action-items`).send({
      task: 'Late',
      owner: 'c',
      deadline: '2020-01-01',
    });
    const future = await post(`/api/incidents/${other}/postmortem/action-items`).send({
      task: 'Future',
      owner: 'c',
      deadline: '2999-01-01',
    });
    const finished = await post(`/api/incidents/${other}/postmortem/action-items`).send({
      task: 'Finished',
      owner: 'c',
      deadline: '2020-01-01',
    });
    await post(`/api/incidents/${other}/postmortem/action-items/${finished.body.id}/complete`).send({});
    const res = await pipeline.api('/api/action-items?status=open&overdue=true');
    expect(res.status).toBe(200);
    const ids = (res.body.items as { id: string }[]).map((i) => i.id);
    expect(ids).toContain(late.body.id);
    expect(ids).not.toContain(future.body.id);
    expect(ids).not.toContain(finished.body.id);
    const deadlines = (res.body.items as { deadline: string }[]).map((i) => i.deadline);
    expect([...deadlines].sort()).toEqual(deadlines);
  });
});

describe('notes, acknowledgements and reopening', () => {
  it('when someone acknowledges and writes a note, then both show in the draft; a reopened incident that resolves again keeps what people wrote', async () => {
    const monitorId = String((monitorSeq += 1));
    const at = (hhmm: string) => `2026-06-14T${hhmm}:00Z`;
    await send(datadogPayload({ monitorId, transition: 'Triggered', at: at('10:00') }));
    const { id } = await incidentOf(monitorId);
    const ack = await post(`/api/incidents/${id}/acknowledge`).send({ by: 'alice', at: at('10:04') });
    expect(ack.status).toBe(200);
    const note = await post(`/api/incidents/${id}/notes`).send({
      author: 'alice',
      text: 'rolled back',
      at: at('10:20'),
    });
    expect(note.status).toBe(201);
    expect((note.body.timeline as { kind: string }[]).map((t) => t.kind)).toEqual([
      'triggered',
      'acknowledged',
      'note',
    ]);
    await send(datadogPayload({ monitorId, transition: 'Recovered', at: at('10:30') }));
    await pipeline.drain();

    const first = await pipeline.api(`/api/incidents/${id}/postmortem`);
    expect(first.body.facts.figures.timeToAcknowledgeSeconds).toBe(240);
    expect(first.body.markdown).toContain('Note by alice: rolled back');
    const written = await patch(`/api/incidents/${id}/postmortem`).send({
      version: first.body.version,
      sections: { resolution: 'Rolled back at 10:20.' },
    });
    expect(written.status).toBe(200);

    await send(datadogPayload({ monitorId, transition: 'Triggered', at: at('10:40') }));
    await send(datadogPayload({ monitorId, transition: 'Recovered', at: at('10:50') }));
    await pipeline.drain();
    const second = await pipeline.api(`/api/incidents/${id}/postmortem`);
    expect(second.body.facts.resolutionCount).toBe(2);
    expect(second.body.facts.durationSeconds).toBe(50 * 60);
    expect(second.body.sections.resolution).toBe('Rolled back at 10:20.');
    expect((second.body.facts.timeline as { kind: string }[]).map((t) => t.kind)).toContain('reopened');
    const drafts = receiver.received.filter(
      (r) =>
        r.path === '/hook' && r.body.event === 'postmortem.drafted' && JSON.stringify(r.body).includes(id),
    );
    expect(drafts).toHaveLength(2);
  });

  it('when the incident or its postmortem does not exist, then 404 JSON', async () => {
    const res = await pipeline.api('/api/incidents/6b0459a1772a8ca6f6e25918/postmortem');
    expect(res.status).toBe(404);
    const note = await post('/api/incidents/6b0459a1772a8ca6f6e25918/notes').send({ author: 'a', text: 'b' });
    expect(note.status).toBe(404);
  });
});

describe('the daily reminder', () => {
  it('when the reminder runs twice the same day, then the targets hear about the overdue items once', async () => {
    const before = receiver.received.filter(
      (r) =>
        r.body.event === 'action_items.overdue' || JSON.stringify(r.body).includes('overdue action item'),
    ).length;
    for (let i = 0; i < 2; i += 1) {
      await pipeline.postmortemQueue.add('action-items.remind', {}, { jobId: `remind-test-${i}` });
      await pipeline.drain();
    }
    const reminders = receiver.received.filter(
      (r) =>
        r.body.event === 'action_items.overdue' || JSON.stringify(r.body).includes('overdue action item'),
    );
    expect(reminders.length - before).toBe(2); // one to Slack, one to the webhook
    const hook = reminders.find((r) => r.path === '/hook')!;
    expect((hook.body.items as unknown[]).length).toBeGreaterThan(0);
  });
});
