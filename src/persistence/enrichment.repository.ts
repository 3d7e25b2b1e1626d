import type {
  ChangesEnrichment,
  EnrichmentProblem,
  IncidentEnrichment,
  MetricEnrichment,
  NotebookEnrichment,
} from '../domain/enrichment';
import type { MonitorDetails } from '../domain/enrichment-monitor';
import type { EnrichmentStore } from '../use-cases/ports';
import type { EnrichmentKind, EnrichmentModel } from './enrichment.model';

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
    const of = <T>(kind: EnrichmentKind, read: (json: string) => T) =>
      ordered.filter((d) => d.kind === kind).map((d) => read(d.json));
    return {
      monitors: of('monitor', monitorFromJson),
      metrics: of('metric', metricFromJson),
      changes: of('changes', changesFromJson)[0] ?? null,
      notebook: of('notebook', notebookFromJson)[0] ?? null,
      problems: of('problem', problemFromJson),
    };
  }

  async saveMonitor(incidentId: string, monitor: MonitorDetails, at: Date): Promise<void> {
    await this.replace(incidentId, 'monitor', String(monitor.id), monitor, at);
  }

  async saveMetric(incidentId: string, metric: MetricEnrichment): Promise<void> {
    await this.replace(incidentId, 'metric', metric.monitorId, metric, metric.at);
  }

  async saveChanges(incidentId: string, changes: ChangesEnrichment): Promise<void> {
    await this.replace(incidentId, 'changes', null, changes, changes.at);
  }

  async recordNotebook(incidentId: string, notebook: NotebookEnrichment): Promise<boolean> {
    return this.insertOnce(`${incidentId}:notebook`, incidentId, 'notebook', notebook, notebook.at);
  }

  async recordProblem(incidentId: string, problem: EnrichmentProblem): Promise<boolean> {
    return this.insertOnce(
      `${incidentId}:problem:${problem.call}`,
      incidentId,
      'problem',
      problem,
      problem.at,
    );
  }

  /** One fact per (incident, kind, key): a later one replaces an earlier one. */
  private async replace(
    incidentId: string,
    kind: EnrichmentKind,
    key: string | null,
    fact: unknown,
    at: Date,
  ): Promise<void> {
    const _id = key === null ? `${incidentId}:${kind}` : `${incidentId}:${kind}:${key}`;
    await this.enrichments.replaceOne(
      { _id },
      { _id, incidentId, kind, json: JSON.stringify(fact), at },
      { upsert: true },
    );
  }

  /** The fact once: true when this call wrote it, false when one was there already. */
  private async insertOnce(
    _id: string,
    incidentId: string,
    kind: EnrichmentKind,
    fact: unknown,
    at: Date,
  ): Promise<boolean> {
    const result = await this.enrichments.updateOne(
      { _id },
      { $setOnInsert: { incidentId, kind, json: JSON.stringify(fact), at } },
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

function metricFromJson(json: string): MetricEnrichment {
  const raw = JSON.parse(json) as MetricEnrichment;
  return { ...raw, at: new Date(raw.at) };
}

function changesFromJson(json: string): ChangesEnrichment {
  const raw = JSON.parse(json) as ChangesEnrichment;
  return { ...raw, at: new Date(raw.at), changes: raw.changes.map((c) => ({ ...c, at: new Date(c.at) })) };
}

function notebookFromJson(json: string): NotebookEnrichment {
  const raw = JSON.parse(json) as NotebookEnrichment;
  return { ...raw, at: new Date(raw.at) };
}

function problemFromJson(json: string): EnrichmentProblem {
  const raw = JSON.parse(json) as EnrichmentProblem;
  return { ...raw, at: new Date(raw.at) };
}
