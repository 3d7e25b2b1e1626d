/**
 * The browser UI over HTTP (the pages as a browser without JavaScript gets them): sign-in with the built-in
 * users and through an SSO proxy's header, the session cookie's attributes, CSRF and cross-origin refusals,
 * the incidents list, an incident, and its postmortem completed, conflicted and published with forms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { newIncident } from '../../src/domain/incident-building';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { hashPassword } from '../../src/web/auth/passwords';
import { makeAlert } from '../helpers/alerts';
import { datadogPayload, startPipeline, type Pipeline } from '../helpers/pipeline';

const PASSWORD = 'correct horse battery staple';
// http: supertest's cookie jar would not send a Secure cookie back over http (the unit tests check Secure).
const PUBLIC_URL = 'http://hindsight.example.com';
let pipeline: Pipeline;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-web-'));
  const users = path.join(dir, 'users.json');
  fs.writeFileSync(
    users,
    JSON.stringify({
      users: [
        { name: 'alice', passwordHash: await hashPassword(PASSWORD) },
        { name: 'bob', passwordHash: await hashPassword(PASSWORD) },
      ],
    }),
  );
  pipeline = await startPipeline({
    env: {
      UI_USERS_FILE: users,
      SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
      PUBLIC_URL,
      DISPLAY_TIMEZONE: 'Europe/Paris',
      AUTH_PROXY_HEADER: 'X-Forwarded-Email',
      // supertest connects from the loopback: trusted here (the unit tests check an untrusted address).
      AUTH_PROXY_TRUSTED_CIDRS: '127.0.0.1/32,::1/128',
    },
  });
});
afterAll(async () => {
  await pipeline.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The value of a hidden input named `name` in a page (the first one). */
function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (match === null) throw new Error(`no ${name} in the page`);
  return match[1]!
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

async function signIn(name = 'alice', password = PASSWORD) {
  const agent = request.agent(pipeline.app);
  const form = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: hidden(form.text, '_csrf'), next: '/', name, password });
  return { agent, res };
}

let monitorSeq = 9100;
async function resolvedIncident(title: string): Promise<string> {
  const monitorId = String((monitorSeq += 1));
  for (const [transition, at] of [
    ['Triggered', '2026-06-14T08:05:00Z'],
    ['Recovered', '2026-06-14T08:35:00Z'],
  ] as const)
    expect((await pipeline.postDatadog(datadogPayload({ monitorId, title, transition, at }))).status).toBe(
      202,
    );
  await pipeline.drain();
  const list = await pipeline.api('/api/incidents?limit=200');
  return (list.body.items as { id: string; monitors: { id: string }[] }[]).find((i) =>
    i.monitors.some((m) => m.id === monitorId),
  )!.id;
}

describe('signing in', () => {
  it('when nobody is signed in, then a page redirects to /login with the page to come back to', async () => {
    const res = await request(pipeline.app).get('/incidents/0123456789abcdef01234567');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fincidents%2F0123456789abcdef01234567');
  });

  it('when the name and password match, then the session cookie is HttpOnly, SameSite=Lax and expiring, and not Secure over http', async () => {
    const { res } = await signIn();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('hindsight_session='),
    )!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
    expect(cookie).toMatch(/; Max-Age=43200/);
  });

  it('when the password is wrong, then 401 and the form again, with no session', async () => {
    const { res } = await signIn('alice', 'not the password');
    expect(res.status).toBe(401);
    expect(res.text).toContain('That name and password do not match.');
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('hindsight_session=');
  });

  it('when the sign-in form is posted without its CSRF token, then 403', async () => {
    const res = await request(pipeline.app)
      .post('/login')
      .type('form')
      .send({ name: 'alice', password: PASSWORD });
    expect(res.status).toBe(403);
  });

  it('when signed in, then the list names the person; after signing out the same cookie is refused', async () => {
    const { agent } = await signIn('bob');
    const page = await agent.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Signed in as <strong data-testid="signed-in-as">bob</strong>');
    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: hidden(page.text, '_csrf') });
    expect(out.status).toBe(303);
    expect((await agent.get('/')).status).toBe(303);
  });

  it('when a forged or replayed-elsewhere cookie is sent, then it is nobody', async () => {
    const res = await request(pipeline.app)
      .get('/')
      .set('Cookie', `hindsight_session=${'A'.repeat(43)}.${'B'.repeat(43)}`);
    expect(res.status).toBe(303);
  });

  it('when the proxy header comes from a trusted address, then that person is signed in, with a CSRF token of their own', async () => {
    const res = await request(pipeline.app).get('/').set('X-Forwarded-Email', 'carol@example.com');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-testid="signed-in-as">carol@example.com</strong>');
    // Signed in by the proxy, there is no session to end here: no sign-out button.
    expect(res.text).not.toContain('action="/logout"');
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(res.text)![1]!;
    const refused = await request(pipeline.app)
      .post('/incidents/0123456789abcdef01234567/acknowledge')
      .set('X-Forwarded-Email', 'dave@example.com')
      .type('form')
      .send({ _csrf: csrf });
    expect(refused.status).toBe(403);
  });
});

describe('pages and forms', () => {
  let agent: ReturnType<typeof request.agent>;
  let incidentId: string;
  beforeAll(async () => {
    agent = (await signIn()).agent;
    incidentId = await resolvedIncident('Checkout <script>alert(1)</script> errors');
  });

  it('when the list is opened, then the incident is there with its title escaped, its source and its draft', async () => {
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('Checkout &lt;script&gt;alert(1)&lt;/script&gt; errors');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain(`href="/incidents/${incidentId}/postmortem">draft</a>`);
  });

  it('when filtered by another source, then the incident is not listed', async () => {
    const res = await agent.get('/?source=grafana');
    expect(res.text).not.toContain(`/incidents/${incidentId}"`);
  });

  it('when the incident is opened, then its timeline is in Europe/Paris with the zone named', async () => {
    const res = await agent.get(`/incidents/${incidentId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('2026-06-14 10:05:00 CEST');
    expect(res.text).toContain('2026-06-14 10:35:00 CEST');
  });

  it('when a form is posted without the CSRF token, or from another origin, then 403 and nothing changes', async () => {
    const noToken = await agent.post(`/incidents/${incidentId}/acknowledge`).type('form').send({});
    expect(noToken.status).toBe(403);
    const page = await agent.get(`/incidents/${incidentId}`);
    const foreign = await agent
      .post(`/incidents/${incidentId}/acknowledge`)
      .set('Origin', 'https://evil.example.com')
      .type('form')
      .send({ _csrf: hidden(page.text, '_csrf') });
    expect(foreign.status).toBe(403);
    const timeline = (await pipeline.api(`/api/incidents/${incidentId}`)).body.timeline as { kind: string }[];
    expect(timeline.map((t) => t.kind)).not.toContain('acknowledged');
  });

  it('when acknowledged and noted, then the timeline names the signed-in person', async () => {
    const page = await agent.get(`/incidents/${incidentId}`);
    const csrf = hidden(page.text, '_csrf');
    expect(
      (
        await agent
          .post(`/incidents/${incidentId}/acknowledge`)
          .set('Origin', PUBLIC_URL)
          .type('form')
          .send({ _csrf: csrf })
      ).status,
    ).toBe(303);
    expect(
      (
        await agent
          .post(`/incidents/${incidentId}/notes`)
          .type('form')
          .send({ _csrf: csrf, text: 'Rolled back <b>v2</b>' })
      ).status,
    ).toBe(303);
    const after = await agent.get(`/incidents/${incidentId}`);
    expect(after.text).toContain('data-testid="acknowledged-by">alice</dd>');
    expect(after.text).toContain('Rolled back &lt;b&gt;v2&lt;/b&gt;');
  });

  it('when two people save the same section from the same version, then the second sees both texts and loses neither', async () => {
    const bob = (await signIn('bob')).agent;
    const pageA = await agent.get(`/incidents/${incidentId}/postmortem`);
    const pageB = await bob.get(`/incidents/${incidentId}/postmortem`);
    expect(pageA.status).toBe(200);
    const version = hidden(pageA.text, 'version');
    const save = (who: typeof agent, page: string, text: string) =>
      who
        .post(`/incidents/${incidentId}/postmortem/sections`)
        .type('form')
        .send({
          _csrf: hidden(page, '_csrf'),
          field: 'rootCause.technical',
          version,
          base: '',
          text,
        });
    expect((await save(agent, pageA.text, 'A bad deploy of **web**')).status).toBe(303);
    const second = await save(bob, pageB.text, 'The cache was cold');
    expect(second.status).toBe(409);
    expect(second.text).toContain('Someone else saved this section first.');
    expect(second.text).toContain('A bad deploy of <strong>web</strong>');
    expect(second.text).toContain('>The cache was cold</textarea>');
    const api = await pipeline.api(`/api/incidents/${incidentId}/postmortem`);
    expect(api.body.sections.rootCause.technical).toBe('A bad deploy of **web**');
  });

  it('when another section was saved meanwhile, then a save from the older version still lands (nothing to conflict with)', async () => {
    const page = await agent.get(`/incidents/${incidentId}/postmortem`);
    const version = Number(hidden(page.text, 'version'));
    await pipeline.api(`/api/incidents/${incidentId}/postmortem`); // no change
    const res = await agent
      .post(`/incidents/${incidentId}/postmortem/sections`)
      .type('form')
      .send({
        _csrf: hidden(page.text, '_csrf'),
        field: 'impact.users',
        version: String(version - 1),
        base: '',
        text: 'Checkout failed for 30 minutes',
      });
    expect(res.status).toBe(303);
    const api = await pipeline.api(`/api/incidents/${incidentId}/postmortem`);
    expect(api.body.sections.impact.users).toBe('Checkout failed for 30 minutes');
    expect(api.body.sections.rootCause.technical).toBe('A bad deploy of **web**');
  });

  it('when published before an action item exists, then 422 with what is missing; with one, it publishes', async () => {
    let page = await agent.get(`/incidents/${incidentId}/postmortem`);
    const status = (to: string) =>
      agent
        .post(`/incidents/${incidentId}/postmortem/status`)
        .type('form')
        .send({ _csrf: hidden(page.text, '_csrf'), version: hidden(page.text, 'version'), status: to });
    expect((await status('in_review')).status).toBe(303);
    page = await agent.get(`/incidents/${incidentId}/postmortem`);
    const refused = await status('published');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('an action item with an owner and a deadline');
    const added = await agent
      .post(`/incidents/${incidentId}/postmortem/action-items`)
      .type('form')
      .send({
        _csrf: hidden(page.text, '_csrf'),
        task: 'Canary deploys',
        owner: 'alice',
        deadline: '2026-07-01',
      });
    expect(added.status).toBe(303);
    page = await agent.get(`/incidents/${incidentId}/postmortem`);
    expect(page.text).toContain('Canary deploys');
    expect((await status('published')).status).toBe(303);
    const md = await agent.get(`/incidents/${incidentId}/postmortem.md`);
    expect(md.headers['content-disposition']).toBe(`attachment; filename="postmortem-${incidentId}.md"`);
    expect(md.text).toContain('Canary deploys');
    expect((await pipeline.api(`/api/incidents/${incidentId}/postmortem`)).body.status).toBe('published');
  });

  it('when the postmortem is shared, then the link opens signed out; forged, or revoked, it is 404', async () => {
    const page = await agent.get(`/incidents/${incidentId}/postmortem`);
    expect(page.text).toContain('data-testid="published-by">alice</span>');
    const csrf = hidden(page.text, '_csrf');
    expect(
      (await agent.post(`/incidents/${incidentId}/postmortem/share`).type('form').send({ _csrf: csrf }))
        .status,
    ).toBe(303);
    const withLink = await agent.get(`/incidents/${incidentId}/postmortem`);
    const url = /class="share-url" readonly value="([^"]+)"/.exec(withLink.text)![1]!;
    const sharedPath = new URL(url).pathname;
    expect(url.startsWith(`${PUBLIC_URL}/shared/`)).toBe(true);
    const shared = await request(pipeline.app).get(sharedPath);
    expect(shared.status).toBe(200);
    expect(shared.headers['referrer-policy']).toBe('no-referrer');
    expect(shared.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(shared.text).toContain('Canary deploys');
    expect(shared.text).not.toContain('<form');
    const forged = `${sharedPath.slice(0, -1)}${sharedPath.endsWith('A') ? 'B' : 'A'}`;
    expect((await request(pipeline.app).get(forged)).status).toBe(404);
    const linkId = /share\/([A-Za-z0-9_-]{32})\/revoke/.exec(withLink.text)![1]!;
    const revoke = async () =>
      (
        await agent
          .post(`/incidents/${incidentId}/postmortem/share/${linkId}/revoke`)
          .type('form')
          .send({ _csrf: csrf })
      ).status;
    expect(await revoke()).toBe(303);
    expect((await request(pipeline.app).get(sharedPath)).status).toBe(404);
    expect(await revoke()).toBe(404);
  });

  it('when a draft is shared, then 422: only a published postmortem can be', async () => {
    const draft = await resolvedIncident('Another draft');
    const page = await agent.get(`/incidents/${draft}/postmortem`);
    const res = await agent
      .post(`/incidents/${draft}/postmortem/share`)
      .type('form')
      .send({ _csrf: hidden(page.text, '_csrf') });
    expect(res.status).toBe(422);
    expect(res.text).toContain('cannot share: only a published postmortem can be shared');
  });

  it('when insights are asked for a period, then the page and its CSV count the incidents of that period only', async () => {
    const page = await agent.get('/insights?from=2026-06-14&to=2026-06-14');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Incidents detected from 2026-06-14 to 2026-06-14 (Europe/Paris).');
    expect(page.text).toMatch(/<th scope="row">All incidents<\/th><td>\d+<\/td>/);
    const csv = await agent.get('/insights.csv?from=2026-06-14&to=2026-06-14');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="insights-2026-06-14-2026-06-15.csv"',
    );
    expect(csv.text).toMatch(/^dimension,name,incidents/);
    const empty = await agent.get('/insights?from=2020-01-01&to=2020-01-01');
    expect(empty.text).toContain('<th scope="row">All incidents</th><td>0</td>');
    const bad = await agent.get('/insights?from=2026-06-15&to=2026-06-13');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('must make `to` later than `from`');
  });

  it('when an action item form has a bad deadline, then 400 naming the field', async () => {
    const page = await agent.get(`/incidents/${incidentId}/postmortem`);
    const res = await agent
      .post(`/incidents/${incidentId}/postmortem/action-items`)
      .type('form')
      .send({ _csrf: hidden(page.text, '_csrf'), task: 'x', deadline: 'tomorrow' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('deadline: must be a date such as 2026-07-01');
  });
});

describe('a long timeline on the incident page', () => {
  it('when an incident has 250 entries, then its page shows 200 and links to the rest, and a forged position is a 400', async () => {
    const groupKey = `datadog:monitor:long${String((monitorSeq += 1))}`;
    const rules = routingRulesFrom(pipeline.config);
    const start = Date.parse('2026-06-14T08:00:00Z');
    const received = Array.from({ length: 250 }, (_, i) => ({
      alert: makeAlert({
        groupKey,
        transition: i === 0 ? 'triggered' : 'retriggered',
        at: new Date(start + i * 60_000).toISOString(),
      }),
      receivedAt: new Date(start + i * 60_000),
    }));
    const id = IncidentRepository.newId();
    const incident = newIncident(id, groupKey, received, rules, new Date());
    expect(await pipeline.repositories.incidents.insertCurrent(incident)).toBe('inserted');
    const { agent } = await signIn();

    const first = await agent.get(`/incidents/${id}`);
    expect(first.status).toBe(200);
    const items = (html: string) => html.match(/<li class="kind-/g)?.length ?? 0;
    expect(items(first.text)).toBe(200);
    expect(first.text).toContain('Entries 1 to 200 of 250.');
    const next = /href="([^"]+)" data-testid="timeline-next"/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    const second = await agent.get(next);
    expect(second.status).toBe(200);
    expect(items(second.text)).toBe(50);
    expect(second.text).toContain('Entries 201 to 250 of 250.');
    expect(second.text).not.toContain('data-testid="timeline-next"');

    const forged = await agent.get(`/incidents/${id}?after=event%3Anope`);
    expect(forged.status).toBe(400);
  });
});
