/**
 * Configuration: read from the environment once, validated, frozen. Nothing else reads process.env.
 * Every bad or missing variable is named in one error, so a deployment is fixed in one pass.
 */
import { z } from 'zod';
import { ALERT_TRANSITIONS, type AlertTransition } from '../src/domain/alert';
import { isTimeZone } from '../src/payloads/times';
import { SOURCES, secretVariable, tokenVariable, type Source } from '../src/sources';
import { datadogAppUrl } from '../src/domain/enrichment-links';
import type { DatadogSettings } from '../src/enrichment/datadog.port';
import { loadGenericMappings } from './generic';
import { loadHttpServerConfig, type HttpServerConfig } from './http-server';
import { loadNotifyTargets, type NotifyTarget } from './targets';
import { loadUiConfig, type UiConfig } from './ui';

export type { HttpServerConfig } from './http-server';
export type { NotifyTarget } from './targets';
export type { UiConfig, UiUser } from './ui';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    );

const secret = z.string().min(16, 'must be at least 16 characters');

/** Datadog's sites (docs.datadoghq.com/getting_started/site): the API is at https://api.<site>. */
export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'ddog-gov.com',
  'us2.ddog-gov.com',
] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://127.0.0.1:27017/hindsight'),
  WEBHOOK_TOKEN: secret.optional(),
  WEBHOOK_SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  API_TOKEN: secret,
  DISPLAY_TIMEZONE: z
    .string()
    .default('UTC')
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REOPEN_WINDOW_SECONDS: z.coerce.number().int().min(0).default(1800),
  SERVICE_TAG_KEYS: csv('service'),
  HOST_TAG_KEYS: csv('host'),
  OPENING_TRANSITIONS: csv('triggered').pipe(
    z.array(z.enum(['triggered', 'warn', 'no_data'], { message: 'each must be triggered, warn or no_data' })),
  ),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('hindsight'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6000),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000_000).default(600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
  WORKER_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  // An alert batch that failed waits this long before its next try, doubling up to the maximum.
  ALERT_RETRY_FIRST_MS: z.coerce.number().int().min(10).max(600_000).default(500),
  ALERT_RETRY_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  ACTION_ITEMS_REMINDER_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron pattern such as "0 9 * * 1-5"')
    .default('0 9 * * *'),
  // Read by loadNotifyTargets (config/targets.ts); listed here so that they are known variables.
  NOTIFY_WEBHOOK_URLS: z.string().optional(),
  NOTIFY_TARGETS_FILE: z.string().optional(),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).default(2_000),
  // Read by loadGenericMappings (config/generic.ts).
  GENERIC_MAPPINGS_DIR: z.string().optional(),
  DD_API_KEY: z.string().trim().min(16, 'must be a Datadog API key').max(256).optional(),
  DD_APP_KEY: z.string().trim().min(16, 'must be a Datadog application key').max(256).optional(),
  DD_SITE: z
    .enum(DATADOG_SITES, { message: `must be one of Datadog's sites: ${DATADOG_SITES.join(', ')}` })
    .default('datadoghq.com'),
  DD_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  DD_CHANGE_EVENTS_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  DD_EXPORT_NOTEBOOKS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  // Read by loadUiConfig (config/ui.ts): the browser UI's sign-in.
  UI_USERS_FILE: z.string().optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  AUTH_PROXY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be a header name such as X-Forwarded-Email')
    .optional(),
  AUTH_PROXY_TRUSTED_CIDRS: z
    .string()
    .optional()
    .transform((s) =>
      s === undefined
        ? undefined
        : s
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x.length > 0),
    ),
});

/** Datadog enrichment (issue 15): on when both keys are set. Its keys are secrets: never log them. */
export interface DatadogEnrichmentConfig {
  api: DatadogSettings;
  /** Where people open Datadog (`https://app.datadoghq.com`): relative event links and notebook links. */
  appUrl: string;
  /** DD_CHANGE_EVENTS_WINDOW_MINUTES: how far before detection a change is listed. */
  changeWindowMinutes: number;
  /** DD_EXPORT_NOTEBOOKS: a published postmortem becomes a Datadog notebook. */
  exportNotebooks: boolean;
}

export interface Config {
  port: number;
  redisUrl: string;
  mongodbUri: string;
  /**
   * The endpoints served, one per source: the monitors' list (src/sources) and then each mapped generic
   * endpoint (`generic/<name>`) compiled from GENERIC_MAPPINGS_DIR.
   */
  webhookSources: readonly Source[];
  /** The token each source's webhook must present, by source name. */
  webhookTokens: Readonly<Record<string, string>>;
  /** Signing secrets of the sources that sign (WEBHOOK_SECRET_<NAME>), by source name; only those set. */
  webhookSecrets: Readonly<Record<string, string>>;
  /** How old a signed timestamp may be. */
  signatureToleranceSeconds: number;
  /** Each source's own settings, as its definition's schema parsed them, by source name. */
  sourceSettings: Readonly<Record<string, unknown>>;
  apiToken: string;
  displayTimezone: string;
  publicUrl: string;
  logLevel: string;
  reopenWindowSeconds: number;
  serviceTagKeys: string[];
  hostTagKeys: string[];
  /** Transitions that open an incident; `retriggered` always does, as the alert is firing. */
  openingTransitions: AlertTransition[];
  bodyLimitBytes: number;
  queuePrefix: string;
  /** Webhooks each source may send per minute, shared by every API process; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** How many webhooks a source may send at once (the token bucket's size). */
  rateLimitBurst: number;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  /** How long a worker holds a job before others may take it over (a killed worker's jobs run again after it). */
  workerLockMs: number;
  /** ALERT_RETRY_FIRST_MS and ALERT_RETRY_MAX_MS: the capped backoff of alert batches (src/queue/alert-retries.ts). */
  alertRetry: { firstMs: number; maxMs: number };
  /** When the overdue-action-items reminder runs, in DISPLAY_TIMEZONE. */
  actionItemsReminderCron: string;
  /** Where notifications go (NOTIFY_WEBHOOK_URLS and NOTIFY_TARGETS_FILE). Their URLs are secrets: never log them. */
  notifyTargets: readonly NotifyTarget[];
  /** How long one delivery attempt may take. */
  notifyTimeoutMs: number;
  /** Attempts per delivery before it is marked failed. */
  notifyAttempts: number;
  /** First retry delay; each next one doubles. */
  notifyBackoffMs: number;
  /** Datadog enrichment; null without DD_API_KEY and DD_APP_KEY. */
  datadog: DatadogEnrichmentConfig | null;
  /** The browser UI's sign-in (built-in users, SSO proxy) and sessions. */
  ui: UiConfig;
  /** The API's HTTP server: timeouts for slow clients and idle connections, and its connection limit. */
  httpServer: HttpServerConfig;
}

/** Each source's token and secret variables: optional one by one, checked together below. */
function sourceCredentialsSchema(sources: readonly Source[]) {
  return z.object(
    Object.fromEntries(
      sources.flatMap((source) => [
        [tokenVariable(source.name), secret.optional()],
        ...(source.signature === undefined
          ? []
          : [[secretVariable(source.name), secret.optional()] as const]),
      ]),
    ),
  );
}

interface SourceConfig {
  webhookTokens: Record<string, string>;
  webhookSecrets: Record<string, string>;
  sourceSettings: Record<string, unknown>;
}

/** Tokens, secrets and settings of every source served; `problems` names each bad variable. */
function loadSourceConfig(
  sources: readonly Source[],
  env: Record<string, string | undefined>,
  sharedToken: string | undefined,
  problems: string[],
): SourceConfig {
  const result: SourceConfig = { webhookTokens: {}, webhookSecrets: {}, sourceSettings: {} };
  const credentials = sourceCredentialsSchema(sources).safeParse(env);
  if (!credentials.success) problems.push(...problemsOf(credentials.error.issues, env));
  const values = (credentials.success ? credentials.data : {}) as Record<string, string | undefined>;
  const tokenless: string[] = [];
  for (const source of sources) {
    const token = values[tokenVariable(source.name)] ?? sharedToken;
    if (token !== undefined) result.webhookTokens[source.name] = token;
    else if (env[tokenVariable(source.name)] === undefined && env.WEBHOOK_TOKEN === undefined)
      tokenless.push(tokenVariable(source.name));
    const signing = values[secretVariable(source.name)];
    if (signing !== undefined) result.webhookSecrets[source.name] = signing;
    if (source.settings !== undefined) {
      const settings = source.settings.safeParse(env);
      if (settings.success) result.sourceSettings[source.name] = settings.data;
      else problems.push(...problemsOf(settings.error.issues, env));
    }
  }
  if (tokenless.length > 0)
    problems.push(`WEBHOOK_TOKEN: is required (or a token for each source: ${tokenless.join(', ')})`);
  return result;
}

function problemsOf(issues: readonly z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  return issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return issue.code === 'invalid_type' && env[name] === undefined
      ? `${name}: is required`
      : `${name}: ${issue.message}`;
  });
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment; throws a ConfigError naming every bad or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // Empty strings count as unset, as they do in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  // Checked even when other variables are bad, so that every problem is named in one error.
  const notify = loadNotifyTargets({
    NOTIFY_WEBHOOK_URLS: cleaned.NOTIFY_WEBHOOK_URLS,
    NOTIFY_TARGETS_FILE: cleaned.NOTIFY_TARGETS_FILE,
  });
  const mapped = loadGenericMappings({ GENERIC_MAPPINGS_DIR: cleaned.GENERIC_MAPPINGS_DIR });
  const http = loadHttpServerConfig({
    HTTP_HEADERS_TIMEOUT_MS: cleaned.HTTP_HEADERS_TIMEOUT_MS,
    HTTP_REQUEST_TIMEOUT_MS: cleaned.HTTP_REQUEST_TIMEOUT_MS,
    HTTP_KEEP_ALIVE_TIMEOUT_MS: cleaned.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    HTTP_MAX_CONNECTIONS: cleaned.HTTP_MAX_CONNECTIONS,
  });
  const webhookSources = [...SOURCES, ...mapped.sources];
  if (!parsed.success) problems.push(...problemsOf(parsed.error.issues, cleaned));
  problems.push(...mapped.problems);
  const sources = loadSourceConfig(
    webhookSources,
    cleaned,
    parsed.success ? parsed.data.WEBHOOK_TOKEN : undefined,
    problems,
  );
  problems.push(...notify.problems);
  problems.push(...http.problems);
  if (parsed.success) problems.push(...datadogKeyProblems(parsed.data));
  const ui = parsed.success ? loadUiConfig(parsed.data) : null;
  if (ui !== null) problems.push(...ui.problems);
  if (!parsed.success || ui === null || http.httpServer === null || problems.length > 0)
    throw new ConfigError(problems);
  const e = parsed.data;
  const opening = new Set<AlertTransition>(['triggered', 'retriggered', ...e.OPENING_TRANSITIONS]);
  return Object.freeze({
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    mongodbUri: e.MONGODB_URI,
    webhookSources: Object.freeze(webhookSources),
    webhookTokens: Object.freeze(sources.webhookTokens),
    webhookSecrets: Object.freeze(sources.webhookSecrets),
    signatureToleranceSeconds: e.WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
    sourceSettings: Object.freeze(sources.sourceSettings),
    apiToken: e.API_TOKEN,
    displayTimezone: e.DISPLAY_TIMEZONE,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    reopenWindowSeconds: e.REOPEN_WINDOW_SECONDS,
    serviceTagKeys: e.SERVICE_TAG_KEYS,
    hostTagKeys: e.HOST_TAG_KEYS,
    openingTransitions: ALERT_TRANSITIONS.filter((t) => opening.has(t)),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    queuePrefix: e.QUEUE_PREFIX,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitBurst: e.RATE_LIMIT_BURST,
    workerConcurrency: e.WORKER_CONCURRENCY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    alertRetry: { firstMs: e.ALERT_RETRY_FIRST_MS, maxMs: Math.max(e.ALERT_RETRY_FIRST_MS, e.ALERT_RETRY_MAX_MS) },
    actionItemsReminderCron: e.ACTION_ITEMS_REMINDER_CRON,
    notifyTargets: Object.freeze(
      notify.targets.map((t) => Object.freeze({ ...t, events: [...t.events], headers: { ...t.headers } })),
    ),
    notifyTimeoutMs: e.NOTIFY_TIMEOUT_MS,
    notifyAttempts: e.NOTIFY_ATTEMPTS,
    notifyBackoffMs: e.NOTIFY_BACKOFF_MS,
    datadog: datadogConfig(e),
    ui: ui.ui,
    httpServer: http.httpServer,
  });
}

type Env = z.infer<typeof envSchema>;

/** One key without the other enriches nothing: say which is missing. */
function datadogKeyProblems(e: Env): string[] {
  if (e.DD_API_KEY !== undefined && e.DD_APP_KEY === undefined)
    return ['DD_APP_KEY: is required with DD_API_KEY (Datadog enrichment needs both)'];
  if (e.DD_APP_KEY !== undefined && e.DD_API_KEY === undefined)
    return ['DD_API_KEY: is required with DD_APP_KEY (Datadog enrichment needs both)'];
  return [];
}

function datadogConfig(e: Env): DatadogEnrichmentConfig | null {
  if (e.DD_API_KEY === undefined || e.DD_APP_KEY === undefined) return null;
  return Object.freeze({
    api: Object.freeze({
      apiKey: e.DD_API_KEY,
      appKey: e.DD_APP_KEY,
      site: e.DD_SITE,
      apiUrl: e.DD_API_URL?.replace(/\/+$/, '') ?? null,
      timeoutMs: 10_000,
      maxResponseBytes: 8 * 1024 * 1024,
    }),
    appUrl: datadogAppUrl(e.DD_SITE),
    changeWindowMinutes: e.DD_CHANGE_EVENTS_WINDOW_MINUTES,
    exportNotebooks: e.DD_EXPORT_NOTEBOOKS,
  });
}
