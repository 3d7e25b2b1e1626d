/**
 * The monitors the worker read recently, by id, for a few minutes: a storm of incidents from one monitor costs
 * one call. Bounded: past `maxEntries`, the entry read longest ago goes first.
 */
import type { MonitorDetails } from '../domain/enrichment-monitor';
import type { MonitorCache } from '../use-cases/enrich-incident';

export function createMonitorCache(
  options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
): MonitorCache {
  const maxEntries = options.maxEntries ?? 500;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<number, { details: MonitorDetails; expiresAt: number }>();
  return {
    get(monitorId) {
      const entry = entries.get(monitorId);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(monitorId);
        return undefined;
      }
      return entry.details;
    },
    set(monitorId, details) {
      entries.delete(monitorId);
      entries.set(monitorId, { details, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
