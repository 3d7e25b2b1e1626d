/**
 * What one change costs as an incident grows: an incident of 10, 1,000 and 10,000 events (its events written
 * the way the app writes them, through the repository, in one go), then 20 renotifications of its monitor, one
 * at a time through the webhook, each applied before the next. Counted with the driver's command monitoring on
 * the worker's connection: commands and bytes sent for writes per change (the flat figures), bytes sent
 * in all, and the time from the webhook to the change applied.
 */
import { newIncident } from '../../src/domain/incident-building';
import { IncidentRepository } from '../../src/persistence/incident.repository';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { makeAlert } from '../../test/helpers/alerts';
import { datadogPayload, startPipeline } from '../../test/helpers/pipeline';

export interface GrowthFigures {
  events: number;
  changes: number;
  commandsPerChange: number;
  writeBytesPerChange: number;
  msPerChange: number;
}

const SIZES = [10, 1_000, 10_000];
const CHANGES = 20;
const WRITES = new Set(['insert', 'update', 'delete']);

export async function incidentGrowthRun(): Promise<GrowthFigures[]> {
  const sent = { commands: 0, writeBytes: 0 };
  const p = await startPipeline({
    onWorkerCommand: (name, bytes) => {
      sent.commands += 1;
      if (WRITES.has(name)) sent.writeBytes += bytes;
    },
  });
  try {
    const rules = routingRulesFrom(p.config);
    const out: GrowthFigures[] = [];
    for (const [index, size] of SIZES.entries()) {
      const monitorId = String(6_600_000 + index * 1_000 + Math.floor(Math.random() * 1_000));
      const groupKey = `datadog:monitor:${monitorId}`;
      const start = Date.parse('2026-06-01T00:00:00Z');
      const received = Array.from({ length: size }, (_, i) => ({
        alert: makeAlert({
          groupKey,
          transition: i === 0 ? 'triggered' : 'retriggered',
          at: new Date(start + i * 1_000).toISOString(),
        }),
        receivedAt: new Date(start + i * 1_000),
      }));
      const incident = newIncident(IncidentRepository.newId(), groupKey, received, rules, new Date());
      if ((await p.repositories.incidents.insertCurrent(incident)) !== 'inserted')
        throw new Error(`the ${size}-event incident was not written`);
      sent.commands = 0;
      sent.writeBytes = 0;
      const began = Date.now();
      for (let i = 0; i < CHANGES; i += 1) {
        const at = new Date(start + (size + i) * 1_000).toISOString();
        const res = await p.postDatadog(datadogPayload({ transition: 'Re-Triggered', monitorId, at }));
        if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
        await p.drain();
      }
      const ms = Date.now() - began;
      const stored = await p.repositories.incidents.findById(incident.id);
      if (stored?.events.length !== size + CHANGES)
        throw new Error(`the incident has ${stored?.events.length} events, not ${size + CHANGES}`);
      out.push({
        events: size,
        changes: CHANGES,
        commandsPerChange: Math.round((sent.commands / CHANGES) * 100) / 100,
        writeBytesPerChange: Math.round(sent.writeBytes / CHANGES),
        msPerChange: Math.round((ms / CHANGES) * 10) / 10,
      });
    }
    return out;
  } finally {
    await p.close();
  }
}
