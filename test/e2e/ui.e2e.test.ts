/**
 * The UI in Chromium, as on-call use it the morning after: sign in; a Datadog incident appears in the list
 * without a reload; its timeline reads in the configured zone; acknowledge and note; the postmortem completed
 * (root cause, an action item), two people saving the same section at once, published, downloaded as
 * Markdown; signed out and refused. Every page is checked by axe-core and saved as a screenshot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../src/web/auth/passwords';
import { datadogPayload } from '../helpers/pipeline';
import { expectAccessible, launchBrowser, newContext, screenshot } from './browser';
import { startHindsight, type RunningHindsight } from './hindsight';

const PASSWORD = 'correct horse battery staple';
let hindsight: RunningHindsight;
let browser: Browser;
let dir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-e2e-'));
  const usersFile = path.join(dir, 'users.json');
  const users = [];
  for (const name of ['alice', 'bob']) users.push({ name, passwordHash: await hashPassword(PASSWORD) });
  fs.writeFileSync(usersFile, JSON.stringify({ users }));
  hindsight = await startHindsight({ UI_USERS_FILE: usersFile, DISPLAY_TIMEZONE: 'Europe/Paris' });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await hindsight?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function signedIn(name: string): Promise<Page> {
  const context = await newContext(browser, { baseURL: hindsight.baseUrl, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/');
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password or token').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  if (new URL(page.url()).pathname !== '/')
    throw new Error(`sign-in failed: ${page.url()} ${await page.content()}`);
  return page;
}

const MONITOR = '4242';
const MINUTE = 60_000;
/** The incident happened this morning, as far as the screenshots are concerned: 45 minutes ago, for 36. */
const detectedAt = new Date(Math.floor((Date.now() - 45 * MINUTE) / MINUTE) * MINUTE);
const recoveredAt = new Date(detectedAt.getTime() + 36 * MINUTE);
/** `2026-12-04 10:05:00 CET`: how the pages write a time in Europe/Paris (checked independently of them). */
function parisTime(date: Date): string {
  const part = (options: Intl.DateTimeFormatOptions, type: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', ...options })
      .formatToParts(date)
      .find((p) => p.type === type)!.value;
  const day = `${part({ year: 'numeric' }, 'year')}-${part({ month: '2-digit' }, 'month')}-${part({ day: '2-digit' }, 'day')}`;
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${day} ${clock} ${part({ timeZoneName: 'short' }, 'timeZoneName')}`;
}
const alert = (transition: string, at: string) =>
  datadogPayload({
    monitorId: MONITOR,
    title: 'Checkout 5xx above 5%',
    transition,
    at,
    tags: 'service:checkout,env:prod',
  });

describe('on-call in the browser', () => {
  let alice: Page;
  let incidentPath: string;

  it('when someone opens Hindsight, then the sign-in page is accessible, and signing in lands on the list', async () => {
    const context = await newContext(browser, { baseURL: hindsight.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'login');
    alice = await signedIn('alice');
    await expect(alice.getByTestId('signed-in-as').textContent()).resolves.toBe('alice');
  });

  it('when someone uses only the keyboard, then they reach the fields in order and sign in with Enter', async () => {
    const context = await newContext(browser, { baseURL: hindsight.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    const focused = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id?: string } | null } }).document
            .activeElement?.id ?? '',
      );
    const order: string[] = [];
    for (let i = 0; i < 6 && !order.includes('login-password'); i += 1) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order.filter((id) => id.startsWith('login-'))).toEqual(['login-name', 'login-password']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('bob');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${hindsight.baseUrl}/`);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('bob');
  });

  it('when a Datadog monitor triggers, then its incident appears in the open list without a reload', async () => {
    await expect(alice.locator('#open-incidents tbody').textContent()).resolves.toContain('None.');
    const marker = await alice.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
    expect((await hindsight.pipeline.postDatadog(alert('Triggered', detectedAt.toISOString()))).status).toBe(
      202,
    );
    const row = alice.locator('#open-incidents tr[data-incident-id]');
    await row.first().waitFor({ timeout: 20_000 });
    await expect(row.first().textContent()).resolves.toContain('Checkout 5xx above 5%');
    // The same document: nothing reloaded it.
    await expect(alice.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).resolves.toBe(
      marker,
    );
    await expectAccessible(alice, 'incidents list');
    await screenshot(alice, 'incidents');
  });

  it('when the incident is opened, then its timeline is in Europe/Paris with the zone named, and it can be acknowledged and noted', async () => {
    await alice.getByRole('link', { name: 'Checkout 5xx above 5%' }).click();
    await alice.waitForURL(/\/incidents\/[0-9a-f]{24}$/);
    incidentPath = new URL(alice.url()).pathname;
    await expect(alice.getByTestId('timeline').textContent()).resolves.toContain(parisTime(detectedAt));
    await alice.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(alice.getByTestId('acknowledged-by').textContent()).resolves.toBe('alice');
    await alice.getByLabel('Note').fill('Rolling back the 10:00 deploy');
    await alice.getByRole('button', { name: 'Add note' }).click();
    await expect(alice.getByTestId('timeline').textContent()).resolves.toContain(
      'Rolling back the 10:00 deploy',
    );
    await expectAccessible(alice, 'incident');
    await screenshot(alice, 'incident');
  });

  it('when the incident resolves, then its postmortem takes a root cause and an action item from the page', async () => {
    expect((await hindsight.pipeline.postDatadog(alert('Recovered', recoveredAt.toISOString()))).status).toBe(
      202,
    );
    await hindsight.pipeline.drain();
    await alice.reload();
    await alice.getByRole('link', { name: /^Postmortem/ }).click();
    await alice.waitForURL(/\/postmortem$/);
    await expect(alice.getByTestId('postmortem-status').textContent()).resolves.toBe('draft');
    await alice
      .getByRole('textbox', { name: 'Technical factors', exact: true })
      .fill('A config push disabled the **payment** retries.');
    await alice.getByRole('button', { name: 'Save Technical factors' }).click();
    await expect(alice.locator('#field-rootCause-technical [role="status"]').textContent()).resolves.toBe(
      'Saved.',
    );
    await expect(alice.locator('#field-rootCause-technical .preview strong').textContent()).resolves.toBe(
      'payment',
    );
    const add = alice.getByRole('form', { name: 'Add an action item' });
    await add.getByLabel('Task').fill('Alert on retry rate');
    await add.getByLabel('Owner').fill('alice');
    await add.getByLabel('Deadline').fill('2026-12-31');
    await add.getByRole('button', { name: 'Add action item' }).click();
    await expect(alice.locator('table.items').textContent()).resolves.toContain('Alert on retry rate');
    await expectAccessible(alice, 'postmortem');
    await screenshot(alice, 'postmortem');
  });

  it('when two people save the same section at once, then the second sees the conflict and keeps their text', async () => {
    const bob = await signedIn('bob');
    await bob.goto(`${incidentPath}/postmortem`);
    await alice.reload();
    await alice.getByRole('textbox', { name: 'Users', exact: true }).fill('Checkout failed for 36 minutes');
    await bob.getByRole('textbox', { name: 'Users', exact: true }).fill('About 1,200 orders were lost');
    await alice.getByRole('button', { name: 'Save Users', exact: true }).click();
    await expect(alice.locator('#field-impact-users [role="status"]').textContent()).resolves.toBe('Saved.');
    await bob.getByRole('button', { name: 'Save Users', exact: true }).click();
    const conflict = bob.locator('#field-impact-users [role="alert"]');
    await expect(conflict.textContent()).resolves.toContain('Someone else saved this section first.');
    await expect(bob.getByTestId('conflict-theirs').textContent()).resolves.toContain(
      'Checkout failed for 36 minutes',
    );
    await expect(bob.getByRole('textbox', { name: 'Users', exact: true }).inputValue()).resolves.toBe(
      'About 1,200 orders were lost',
    );
    await expectAccessible(bob, 'postmortem with a conflict');
    await screenshot(bob, 'postmortem-conflict');
    // Bob combines both and saves: now from the version he was shown.
    await bob
      .getByRole('textbox', { name: 'Users', exact: true })
      .fill('Checkout failed for 36 minutes; about 1,200 orders were lost');
    await bob.getByRole('button', { name: 'Save Users', exact: true }).click();
    await expect(bob.locator('#field-impact-users [role="status"]').textContent()).resolves.toBe('Saved.');
  });

  it('when reviewed and published, then the page says so and the Markdown downloads with what was written', async () => {
    await alice.reload();
    await alice.getByRole('button', { name: 'Send for review' }).click();
    await expect(alice.getByTestId('postmortem-status').textContent()).resolves.toBe('in review');
    await expect(alice.getByRole('button', { name: 'Publish' }).isEnabled()).resolves.toBe(true);
    await alice.getByRole('button', { name: 'Publish' }).click();
    await expect(alice.getByTestId('postmortem-status').textContent()).resolves.toBe('published');
    await expect(alice.getByTestId('published-by').textContent()).resolves.toBe('alice');
    const [download] = await Promise.all([
      alice.waitForEvent('download'),
      alice.getByRole('link', { name: 'Download Markdown' }).first().click(),
    ]);
    const markdown = fs.readFileSync(await download.path(), 'utf8');
    expect(markdown).toContain('A config push disabled the **payment** retries.');
    expect(markdown).toContain('Checkout failed for 36 minutes; about 1,200 orders were lost');
    expect(markdown).toContain('Alert on retry rate');
    await alice.emulateMedia({ media: 'print' });
    await screenshot(alice, 'postmortem-print');
    await expect(alice.locator('form').first().isVisible()).resolves.toBe(false);
    await alice.emulateMedia({ media: 'screen' });
  });

  it('when shared, then someone signed out reads it from the link; once revoked, the link is refused', async () => {
    await alice.getByRole('button', { name: 'Create a share link' }).click();
    const url = await alice.locator('input.share-url').first().inputValue();
    expect(url).toMatch(new RegExp(`^${hindsight.baseUrl}/shared/[A-Za-z0-9_-]{32}\\.[A-Za-z0-9_-]{43}$`));
    const stranger = await (await newContext(browser)).newPage();
    contexts.push(stranger.context());
    const shared = await stranger.goto(url);
    expect(shared!.status()).toBe(200);
    await expect(stranger.locator('article.report').textContent()).resolves.toContain(
      'A config push disabled the payment retries.',
    );
    await expect(stranger.locator('form').count()).resolves.toBe(0);
    await expectAccessible(stranger, 'shared postmortem');
    await screenshot(stranger, 'shared-postmortem');
    await alice.getByRole('button', { name: 'Revoke' }).click();
    expect((await stranger.goto(url))!.status()).toBe(404);
  });

  it('when insights are opened, then the incident counts with its time to recover, and the CSV downloads', async () => {
    await alice.getByRole('link', { name: 'Insights' }).click();
    await alice.waitForURL(/\/insights$/);
    const totals = alice.locator('#insights-totals tbody tr').first();
    await expect(totals.locator('td').first().textContent()).resolves.toBe('1');
    await expect(totals.locator('td').nth(2).textContent()).resolves.toBe('36 min / 36 min');
    await expect(alice.locator('#insights-services').textContent()).resolves.toContain('checkout');
    const [download] = await Promise.all([
      alice.waitForEvent('download'),
      alice.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^dimension,name,incidents,/);
    expect(csv).toContain('service,checkout,1,');
    await expectAccessible(alice, 'insights');
    await screenshot(alice, 'insights');
  });

  it('when signed out, then the pages are refused until signing in again', async () => {
    await alice.getByRole('button', { name: 'Sign out' }).click();
    await alice.waitForURL(/\/login$/);
    await alice.goto(incidentPath);
    expect(new URL(alice.url()).pathname).toBe('/login');
  });
});
