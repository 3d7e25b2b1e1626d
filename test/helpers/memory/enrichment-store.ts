/** EnrichmentStore in memory, with its repository's contract: one fact per (incident, kind, key), a problem once. */
import type {
  ChangesEnrichment,
  EnrichmentProblem,
  IncidentEnrichment,
  MetricEnrichment,
  NotebookEnrichment,
} from '../../../src/domain/enrichment';
import type { MonitorDetails } from '../../../src/domain/enrichment-monitor';
import type { EnrichmentStore } from '../../../src/use-cases/ports';
import { copy } from './races';

export class MemoryEnrichmentStore implements EnrichmentStore {
  private readonly monitors = new Map<string, MonitorDetails>();
  private readonly metrics = new Map<string, MetricEnrichment>();
  private readonly changes = new Map<string, ChangesEnrichment>();
  private readonly notebooks = new Map<string, NotebookEnrichment>();
  private readonly problems = new Map<string, EnrichmentProblem>();
  private afterFinds: { left: number; hook: () => unknown } | null = null;

  /** Plays another worker just after the `nth` next read (reads the hook makes itself count for nothing). */
  afterFind(nth: number, hook: () => unknown): void {
    this.afterFinds = { left: nth, hook };
  }

  async find(incidentId: string): Promise<IncidentEnrichment> {
    const read = this.read(incidentId);
    const pending = this.afterFinds;
    if (pending !== null && (pending.left -= 1) === 0) {
      this.afterFinds = null;
      await pending.hook();
    }
    return read;
  }

  private read(incidentId: string): IncidentEnrichment {
    const of = <T>(map: Map<string, T>) =>
      [...map.entries()]
        .filter(([key]) => key.startsWith(`${incidentId}:`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, value]) => copy(value));
    return {
      monitors: of(this.monitors),
      metrics: of(this.metrics),
      changes: of(this.changes)[0] ?? null,
      notebook: of(this.notebooks)[0] ?? null,
      problems: of(this.problems),
    };
  }

  async saveMonitor(incidentId: string, monitor: MonitorDetails, _at?: Date): Promise<void> {
    this.monitors.set(`${incidentId}:monitor:${monitor.id}`, copy(monitor));
  }

  async saveMetric(incidentId: string, metric: MetricEnrichment): Promise<void> {
    this.metrics.set(`${incidentId}:metric:${metric.monitorId}`, copy(metric));
  }

  async saveChanges(incidentId: string, changes: ChangesEnrichment): Promise<void> {
    this.changes.set(`${incidentId}:changes`, copy(changes));
  }

  async recordNotebook(incidentId: string, notebook: NotebookEnrichment): Promise<boolean> {
    return once(this.notebooks, `${incidentId}:notebook`, notebook);
  }

  async recordProblem(incidentId: string, problem: EnrichmentProblem): Promise<boolean> {
    return once(this.problems, `${incidentId}:problem:${problem.call}`, problem);
  }
}

function once<T>(map: Map<string, T>, key: string, value: T): boolean {
  if (map.has(key)) return false;
  map.set(key, copy(value));
  return true;
}
