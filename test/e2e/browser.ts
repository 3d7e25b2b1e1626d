/**
 * Chromium for the browser tests (test/e2e/, `npm run test:browser`): the system's Chromium driven by
 * playwright-core, as no Playwright browser download works on these machines. A test file launches one browser
 * (launchBrowser), a context per test (newContext), and checks its pages with expectAccessible and screenshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AxeResults, RunOptions } from 'axe-core';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

const REPO = path.resolve(__dirname, '..', '..');
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const INSTALL_HINT =
  'install it (Debian/Ubuntu: `apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium or Chrome executable';

/** Where screenshot() writes: BROWSER_SCREENSHOTS_DIR, else `.tmp/screenshots` in the repository. */
export const SCREENSHOT_DIR = path.resolve(
  process.env.BROWSER_SCREENSHOTS_DIR || path.join(REPO, '.tmp', 'screenshots'),
);

/** Headless on a machine without a GPU, a user namespace for the sandbox (root in CI), or a way out. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The axe-core rule tags a page is checked against, and the impacts that fail the test. */
export const AXE_TAGS: readonly string[] = ['wcag2a', 'wcag2aa', 'best-practice'];
const FAILING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);
/** Targets listed per violation in the failure message. */
const TARGETS_SHOWN = 3;

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH; throws naming how to install it. */
export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    throw new Error(`CHROMIUM_PATH=${configured} is not an executable file: ${INSTALL_HINT}`);
  }
  if (isExecutableFile(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'chromium');
    if (dir !== '' && isExecutableFile(candidate)) return candidate;
  }
  throw new Error(
    `Chromium is not installed (no CHROMIUM_PATH, no ${DEBIAN_CHROMIUM}, no chromium on PATH): ${INSTALL_HINT}`,
  );
}

/** A headless Chromium; close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
}

/**
 * A context with a fixed viewport (1280x900) and locale (en-GB), so screenshots and formatted text do not
 * depend on the machine; `options` may add to them (baseURL, timezoneId) or replace them.
 * The page's own Content-Security-Policy stays enforced (no bypassCSP): a page that worked only thanks to an
 * inline script would fail here as it would in production. expectAccessible evaluates axe-core through the
 * DevTools protocol, which a CSP does not govern.
 */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    ...options,
  });
}

/** Saves a full-page PNG of `page` as `<SCREENSHOT_DIR>/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const base = name
    .replace(/\.png$/i, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base === '') throw new Error(`screenshot(): "${name}" leaves no file name`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${base}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

let axeSource: string | undefined;

/** axe-core's minified build, read once per test file. */
function axeScript(): string {
  axeSource ??= fs.readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  return axeSource;
}

type Violation = AxeResults['violations'][number];

function describeViolation(v: Violation): string {
  const targets = v.nodes.map((node) =>
    node.target.map((s) => (typeof s === 'string' ? s : s.join(' >> '))).join(' -> '),
  );
  const more = targets.length > TARGETS_SHOWN ? ` (+${targets.length - TARGETS_SHOWN} more)` : '';
  return `  - ${v.id} (${v.impact ?? 'no impact'}): ${v.help}; at ${targets.slice(0, TARGETS_SHOWN).join(', ')}${more} ${v.helpUrl}`;
}

/**
 * Runs axe-core (AXE_TAGS) on the page as it is now and throws, failing the test, listing every serious or
 * critical violation: rule id, impact, what to do and the first targets. `label` names the page in the message.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluated, not added as a <script>: the page's CSP (script-src 'self') would block an inline script.
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(axeScript());
  const options: RunOptions = {
    runOnly: { type: 'tag', values: [...AXE_TAGS] },
    resultTypes: ['violations'],
  };
  // Runs in the page, where axe-core is the global the script above defined.
  const results = await page.evaluate(
    (runOptions) =>
      (globalThis as unknown as { axe: { run(o: RunOptions): Promise<AxeResults> } }).axe.run(runOptions),
    options,
  );
  const failing = results.violations.filter((v) => v.impact != null && FAILING_IMPACTS.has(v.impact));
  if (failing.length > 0) {
    throw new Error(
      `expectAccessible(${label}): ${failing.length} serious or critical axe-core violation(s) ` +
        `(${AXE_TAGS.join(', ')}) on ${page.url()}:\n${failing.map(describeViolation).join('\n')}`,
    );
  }
}
