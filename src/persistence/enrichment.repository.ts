import type { EnrichmentProblem, IncidentEnrichment } from '../domain/enrichment';
import type { MonitorDetails } from '../domain/enrichment-monitor';
import type { EnrichmentStore } from '../use-cases/ports';
import type { EnrichmentModel } from './enrichment.model';

/** More facts than this for one incident are not read back (a bound on what a draft carries). */
const MAX_FACTS_READ = 200;

export class EnrichmentRepository implements EnrichmentStore {
  constructor(private readonly enrichments: EnrichmentModel) {}

  async find(incidentId: string): Promise<IncidentEnrichment> {
    const docs = await this.enrichments
      .find({ incidentId: String(incidentId) })
      .limit(MAX_FACTS_READ)
      .lean();
    const ordered = [...docs].sort((a, b) => a._id.localeCompare(b._id));
    return {
      monitors: ordered.filter((d) => d.kind === 'monitor').map((d) => monitorFromJson(d.json)),
      problems: ordered.filter((d) => d.kind === 'problem').map((d) => problemFromJson(d.json)),
    };
  }

  async saveMonitor(incidentId: string, monitor: MonitorDetails, at: Date): Promise<void> {
    const _id = `${incidentId}:monitor:${monitor.id}`;
    await this.enrichments.replaceOne(
      { _id },
      { _id, incidentId, kind: 'monitor', json: JSON.stringify(monitor), at },
      { upsert: true },
    );
  }

  async recordProblem(incidentId: string, problem: EnrichmentProblem): Promise<boolean> {
    const _id = `${incidentId}:problem:${problem.call}`;
    const result = await this.enrichments.updateOne(
      { _id },
      { $setOnInsert: { incidentId, kind: 'problem', json: JSON.stringify(problem), at: problem.at } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  }
}

/** Dates went out as ISO strings and come back as Dates. */
function monitorFromJson(json: string): MonitorDetails {
  const raw = JSON.parse(json) as MonitorDetails;
  return {
    ...raw,
    downtimes: raw.downtimes.map((d) => ({
      ...d,
      start: d.start === null ? null : new Date(d.start),
      end: d.end === null ? null : new Date(d.end),
    })),
  };
}

function problemFromJson(json: string): EnrichmentProblem {
  const raw = JSON.parse(json) as EnrichmentProblem;
  return { ...raw, at: new Date(raw.at) };
}
