/**
 * What the database-outage fault tests share: monitors that trigger and then recover, a sender that posts them
 * a few at a time, and the wait for the first incident (the moment to take the database away).
 */
import type { IncidentDoc } from '../../src/persistence/incident.model';
import { datadogPayload, type Pipeline } from './pipeline';
import type { WorkerProcess } from './processes';

export interface FaultMonitor {
  id: string;
  payloads: Record<string, string>[];
}

export const groupKeyOf = (monitorId: string) => `datadog:monitor:${monitorId}`;
export const eventIdOf = (payload: Record<string, string>) => `datadog:${payload.id}`;
export const duplicatesIn = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

/** `count` monitors from id `firstId` on, each a trigger at 10:00 and a recovery 10 to 49 minutes later. */
export function triggeringMonitors(count: number, firstId: number): FaultMonitor[] {
  return Array.from({ length: count }, (_, i) => {
    const id = String(firstId + i);
    return {
      id,
      payloads: [
        datadogPayload({ monitorId: id, transition: 'Triggered', at: '2026-06-14T10:00:00Z' }),
        datadogPayload({ monitorId: id, transition: 'Recovered', at: `2026-06-14T10:${10 + (i % 40)}:00Z` }),
      ],
    };
  });
}

/** Posts each monitor's trigger, then its recovery; `limit` monitors at a time. Returns each answer. */
export async function sendMonitors(
  p: Pipeline,
  monitors: readonly FaultMonitor[],
  limit: number,
): Promise<{ status: number; ms: number }[]> {
  const answers: { status: number; ms: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < monitors.length) {
        const monitor = monitors[(next += 1) - 1]!;
        for (const payload of monitor.payloads) {
          const started = Date.now();
          const res = await p.postDatadog(payload);
          answers.push({ status: res.status, ms: Date.now() - started });
        }
      }
    }),
  );
  return answers;
}

/** Resolves once the first incident is in the database (20 s at most; then says what the worker logged). */
export async function firstIncidentWritten(p: Pipeline, worker: WorkerProcess): Promise<void> {
  const incidents = p.mongo.collection<IncidentDoc>('incidents');
  for (const end = Date.now() + 20_000; (await incidents.countDocuments({})) === 0;) {
    if (Date.now() > end)
      throw new Error(`no incident appeared; the worker said:\n${worker.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
