/** The monitors Hindsight takes alerts from: one adapter each, all returning the one Alert type. */
import type { SourceName } from '../../config';
import type { Alert } from '../domain/alert';
import { parseDatadogWebhook } from './datadog/datadog.adapter';

export interface SourceContext {
  receivedAt: Date;
  rawBody: string;
  serviceTagKeys: string[];
  hostTagKeys: string[];
}

/** Returns the payload's alerts, or throws a ValidationError naming the bad field. */
export type SourceAdapter = (body: unknown, context: SourceContext) => Alert[];

export const SOURCE_ADAPTERS: Record<SourceName, SourceAdapter> = {
  datadog: parseDatadogWebhook,
};
