/**
 * The browser-test harness itself (test/e2e/browser.ts, test/e2e/hindsight.ts): Chromium starts, axe-core finds
 * what it should and fails the test, a screenshot is a full-page PNG, the check still runs under a strict
 * Content-Security-Policy, and Hindsight answers the browser at its PUBLIC_URL.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR, expectAccessible, launchBrowser, newContext, screenshot } from './browser';
import { startHindsight } from './hindsight';

/** A document that passes the page-level rules (language, title, landmark, heading) around `body`. */
const documentWith = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harness</title></head>` +
  `<body><main><h1>Harness</h1>${body}</main></body></html>`;

const UNLABELLED_FORM = '<form><input type="text" name="q"><button type="submit">Search</button></form>';
const LABELLED_FORM =
  '<form><label for="q">Search incidents</label><input type="text" id="q" name="q">' +
  '<button type="submit">Search</button></form>';

/** The `label` rule's line in expectAccessible's message, naming the input. */
const LABEL_VIOLATION = /^ {2}- label \((serious|critical)\): .*; at input\b/m;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  context = await newContext(browser);
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

describe('expectAccessible', () => {
  it('when a form has an input without a label, then it fails naming the label rule and the input', async () => {
    await page.setContent(documentWith(UNLABELLED_FORM));

    await expect(expectAccessible(page, 'unlabelled form')).rejects.toThrow(LABEL_VIOLATION);
  });

  it('when the same form labels its input, then it passes', async () => {
    await page.setContent(documentWith(LABELLED_FORM));

    await expect(expectAccessible(page, 'labelled form')).resolves.toBeUndefined();
  });

  it("when the page's Content-Security-Policy allows only its own scripts, then axe-core still runs", async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'");
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(documentWith(UNLABELLED_FORM));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await page.goto(`http://127.0.0.1:${port}/`);
      expect(response?.headers()['content-security-policy']).toBe("default-src 'self'; script-src 'self'");

      await expect(expectAccessible(page, 'page with a CSP')).rejects.toThrow(LABEL_VIOLATION);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('screenshot', () => {
  it('when a page is taller than the viewport, then a PNG of the whole page is written under SCREENSHOT_DIR', async () => {
    const expected = path.join(SCREENSHOT_DIR, 'harness-full-page.png');
    fs.rmSync(expected, { force: true });
    await page.setContent(documentWith('<div style="height: 2000px">Tall</div>'));

    const file = await screenshot(page, 'Harness full page');

    expect(file).toBe(expected);
    const png = fs.readFileSync(file);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // The IHDR chunk, first after the signature: width and height, big-endian, at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(2000);
  });
});

describe('startHindsight', () => {
  it('when Hindsight is started, then the browser reaches it at its PUBLIC_URL and it is ready', async () => {
    const hindsight = await startHindsight();
    try {
      expect(hindsight.pipeline.config.publicUrl).toBe(hindsight.baseUrl);

      const response = await page.goto(`${hindsight.baseUrl}/readyz`);

      expect(response?.status()).toBe(200);
      expect(await response?.json()).toEqual({ status: 'ready', checks: { redis: 'ok', mongodb: 'ok' } });
    } finally {
      await hindsight.close();
    }
  });
});
