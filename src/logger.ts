import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that may hold a secret; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'headers.authorization',
  'headers["x-hindsight-token"]',
  'req.headers.authorization',
  'req.headers["x-hindsight-token"]',
  'token',
  '*.token',
  'apiToken',
  'webhookTokens',
  'config.apiToken',
  'config.webhookTokens',
  'webhookSecrets',
  'config.webhookSecrets',
  // Notification target URLs are credentials (a Slack webhook URL is one).
  'notifyTargets',
  'config.notifyTargets',
  // Datadog's API and application keys (DD_API_KEY, DD_APP_KEY).
  'datadog',
  'config.datadog',
  'apiKey',
  'appKey',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { service: 'hindsight' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}
