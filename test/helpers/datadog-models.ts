import { createMonitorCache } from '../../src/enrichment/monitor-cache';
import type { PostmortemDraftJob } from '../../src/queue/jobs';
import type { EnrichDeps } from '../../src/use-cases/enrich-incident';
import type { PostmortemWorld } from './postmortem-world';

/** A Datadog monitor as the client deserializes getMonitor's answer: a metric ("query alert") monitor on web. */
export const QUERY_ALERT_MONITOR = {
  id: 42,
  name: 'High error rate on web',
  type: 'query alert',
  query: 'avg(last_5m):sum:trace.http.request.errors{service:web} > 5',
  options: { thresholds: { critical: 5, warning: 3 } },
};

/** The enrichment use-cases' deps over a postmortem world, with the draft jobs they queue collected. */
export function enrichDepsOver(
  w: PostmortemWorld,
  datadog: EnrichDeps['datadog'],
  overrides: Partial<EnrichDeps> = {},
): { deps: EnrichDeps; drafts: PostmortemDraftJob[] } {
  const drafts: PostmortemDraftJob[] = [];
  const deps: EnrichDeps = {
    datadog,
    enrichments: w.enrichments,
    incidents: w.incidents,
    monitors: createMonitorCache(),
    queueDraft: async (job) => void drafts.push(job),
    now: () => new Date('2026-06-14T13:00:00Z'),
    ...overrides,
  };
  return { deps, drafts };
}
