/** EnrichmentStore in memory, with its repository's contract: one monitor per (incident, id), a problem once. */
import type { EnrichmentProblem, IncidentEnrichment } from '../../../src/domain/enrichment';
import type { MonitorDetails } from '../../../src/domain/enrichment-monitor';
import type { EnrichmentStore } from '../../../src/use-cases/ports';
import { copy } from './races';

export class MemoryEnrichmentStore implements EnrichmentStore {
  private readonly monitors = new Map<string, MonitorDetails>();
  private readonly problems = new Map<string, EnrichmentProblem>();

  async find(incidentId: string): Promise<IncidentEnrichment> {
    const of = <T>(map: Map<string, T>) =>
      [...map.entries()]
        .filter(([key]) => key.startsWith(`${incidentId}:`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, value]) => copy(value));
    return { monitors: of(this.monitors), problems: of(this.problems) };
  }

  async saveMonitor(incidentId: string, monitor: MonitorDetails): Promise<void> {
    this.monitors.set(`${incidentId}:monitor:${monitor.id}`, copy(monitor));
  }

  async recordProblem(incidentId: string, problem: EnrichmentProblem): Promise<boolean> {
    const key = `${incidentId}:problem:${problem.call}`;
    if (this.problems.has(key)) return false;
    this.problems.set(key, copy(problem));
    return true;
  }
}
