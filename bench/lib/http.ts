import { API_TOKEN, WEBHOOK_TOKEN } from './procs';

/** Posts one Datadog payload; answers the accepted alert's eventId and the job (batch) that holds it. */
export async function postWebhookAccepted(
  base: string,
  payload: unknown,
): Promise<{ eventId: string; jobId: string }> {
  const res = await fetch(`${base}/webhooks/datadog`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
  const body = (await res.json()) as { accepted: { eventId: string; jobId: string }[] };
  const accepted = body.accepted[0];
  if (accepted === undefined) throw new Error('webhook accepted nothing');
  return accepted;
}

export async function postWebhook(base: string, payload: unknown): Promise<string> {
  return (await postWebhookAccepted(base, payload)).eventId;
}

export async function apiGet(base: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

export interface AppliedEntry {
  eventId: string;
  incidentId: string | null;
}

/** The newest `limit` alert-log entries with status applied. */
export async function appliedEntries(base: string, limit = 200): Promise<AppliedEntry[]> {
  const { status, body } = await apiGet(base, `/api/alert-log?status=applied&limit=${limit}`);
  if (status !== 200) throw new Error(`alert-log answered ${status}`);
  return (body as { items: AppliedEntry[] }).items;
}
