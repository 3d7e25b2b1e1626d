/**
 * The links Datadog answers with, read as untrusted input: the rendered graph of a snapshot
 * (v1.SnapshotsApi.getGraphSnapshot's GraphSnapshot) and the notebook a postmortem was exported to
 * (v1.NotebooksApi.createNotebook's NotebookResponse). Only https links without credentials, bounded in length.
 */
import { field, isRecord } from '../payloads/values';

export const MAX_LINK_LENGTH = 2000;

/** An https URL without credentials or spaces, at most MAX_LINK_LENGTH long; null for anything else. */
export function httpsLink(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_LINK_LENGTH) return null;
  const text = value.trim();
  if (!/^https:\/\/[^\s]+$/i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.username === '' && url.password === '' ? url.href : null;
  } catch {
    return null;
  }
}

/** The image link of a GraphSnapshot (`snapshotUrl`); null when there is none that is safe. */
export function readSnapshotUrl(answer: unknown): string | null {
  return isRecord(answer) ? httpsLink(field(answer, 'snapshotUrl')) : null;
}

/** The id of a created notebook (`data.id`, a whole number); null when the answer has none. */
export function readNotebookId(answer: unknown): string | null {
  if (!isRecord(answer)) return null;
  const data = field(answer, 'data');
  const id = isRecord(data) ? field(data, 'id') : undefined;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? String(id) : null;
}

/**
 * Where people open a Datadog site's app: `https://app.datadoghq.com` for a two-label site (`datadoghq.com`,
 * `datadoghq.eu`, `ddog-gov.com`), `https://us3.datadoghq.com` for a regional one.
 */
export function datadogAppUrl(site: string): string {
  return site.split('.').length === 2 ? `https://app.${site}` : `https://${site}`;
}
