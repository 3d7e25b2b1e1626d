/**
 * Where notifications go: NOTIFY_WEBHOOK_URLS (comma-separated) and the NOTIFY_TARGETS_FILE (JSON). Parsed
 * once with the rest of the configuration. A target's URL is a credential (a Slack webhook URL is enough to
 * post to the channel): problems name the target, never its URL or its header values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_NOTIFICATION_EVENTS,
  NOTIFICATION_EVENTS,
  TARGET_TYPES,
  type NotificationEvent,
  type TargetType,
} from '../src/domain/notification-messages';

export interface NotifyTarget {
  id: string;
  type: TargetType;
  url: string;
  events: NotificationEvent[];
  /** Extra request headers, e.g. an Authorization a generic webhook wants. */
  headers: Record<string, string>;
}

export const DEFAULT_TARGETS_FILE = 'config/targets.json';

/** Headers Hindsight sets itself or that the HTTP client owns. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'connection',
  'transfer-encoding',
  'idempotency-key',
]);

/** The problem with a target URL, or null; never quotes the URL. */
export function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (url.username !== '' || url.password !== '')
    return 'must not carry credentials (user:password@); use headers';
  return null;
}

const targetSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must be 1-64 of a-z, 0-9, - and _'),
  type: z.enum(TARGET_TYPES, { error: 'must be "slack" or "webhook"' }),
  url: z.string().superRefine((url, ctx) => {
    const problem = urlProblem(url);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  }),
  events: z
    .array(
      z.enum(NOTIFICATION_EVENTS, {
        error: (issue) =>
          `unknown event ${JSON.stringify(issue.input)} (known: ${NOTIFICATION_EVENTS.join(', ')})`,
      }),
    )
    .min(1, 'must list at least one event')
    .default([...DEFAULT_NOTIFICATION_EVENTS]),
  headers: z
    .record(z.string(), z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must be printable text on one line'))
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers)) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
          ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name' });
        else if (RESERVED_HEADERS.has(name.toLowerCase()))
          ctx.addIssue({ code: 'custom', path: [name], message: 'is set by Hindsight itself' });
      }
    })
    .default({}),
});

/** The problems are prefixed `${label}[<id or position>]`. */
export function parseTargetsJson(
  text: string,
  label: string,
): { targets: NotifyTarget[]; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be a URL.
    return { targets: [], problems: [`${label}: is not valid JSON`] };
  }
  if (!Array.isArray(value)) return { targets: [], problems: [`${label}: must be a JSON array of targets`] };
  const targets: NotifyTarget[] = [];
  const problems: string[] = [];
  value.forEach((entry: unknown, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    const name = typeof id === 'string' && /^[a-z0-9_-]{1,64}$/.test(id) ? id : String(index);
    const parsed = targetSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.');
        problems.push(`${label}[${name}]${field ? `.${field}` : ''}: ${issue.message}`);
      }
      return;
    }
    targets.push({ ...parsed.data, events: [...new Set(parsed.data.events)] });
  });
  return { targets, problems };
}

/** NOTIFY_WEBHOOK_URLS: a URL on hooks.slack.com is a Slack target; ids are `slack-<n>`/`webhook-<n>` by position. */
export function parseTargetUrls(csv: string): { targets: NotifyTarget[]; problems: string[] } {
  const targets: NotifyTarget[] = [];
  const problems: string[] = [];
  const urls = csv
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  urls.forEach((url, index) => {
    const problem = urlProblem(url);
    const type: TargetType =
      problem === null && new URL(url).hostname === 'hooks.slack.com' ? 'slack' : 'webhook';
    const id = `${type}-${index + 1}`;
    if (problem !== null) problems.push(`NOTIFY_WEBHOOK_URLS (target ${id}, URL ${index + 1}): ${problem}`);
    else targets.push({ id, type, url, events: [...DEFAULT_NOTIFICATION_EVENTS], headers: {} });
  });
  return { targets, problems };
}

/**
 * Every configured target. The file is read if NOTIFY_TARGETS_FILE names one (it must exist) or if the default
 * `config/targets.json` exists; relative paths are from the working directory.
 */
export function loadNotifyTargets(
  env: { NOTIFY_WEBHOOK_URLS?: string | undefined; NOTIFY_TARGETS_FILE?: string | undefined },
  cwd: string = process.cwd(),
): { targets: NotifyTarget[]; problems: string[] } {
  const fromUrls = parseTargetUrls(env.NOTIFY_WEBHOOK_URLS ?? '');
  const targets = [...fromUrls.targets];
  const problems = [...fromUrls.problems];
  const file = path.resolve(cwd, env.NOTIFY_TARGETS_FILE ?? DEFAULT_TARGETS_FILE);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (env.NOTIFY_TARGETS_FILE !== undefined || code !== 'ENOENT')
      problems.push(`NOTIFY_TARGETS_FILE: cannot read ${file} (${code ?? 'error'})`);
  }
  if (text !== null) {
    const fromFile = parseTargetsJson(text, 'NOTIFY_TARGETS_FILE');
    targets.push(...fromFile.targets);
    problems.push(...fromFile.problems);
  }
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) problems.push(`notify target ${target.id}: id is used by more than one target`);
    seen.add(target.id);
  }
  return { targets, problems };
}
