/**
 * A published postmortem exported to a Datadog notebook (DD_EXPORT_NOTEBOOKS): once per incident, its link
 * kept beside the incident and shown with the postmortem. Queued by the API when a postmortem is published,
 * run by the worker (the only process that loads Datadog's client).
 */
import { datadogAppUrl, readNotebookId } from '../domain/enrichment-links';
import { notebookRequest } from '../domain/enrichment-notebook';
import { renderPostmortemMarkdown } from '../domain/postmortem-markdown';
import { DatadogApiError, type DatadogApi, describeFailure } from '../enrichment/datadog.port';
import type { ActionItemStore, EnrichmentStore, PostmortemStore } from './ports';

export interface ExportNotebookDeps {
  datadog: Partial<Pick<DatadogApi, 'createNotebook'>>;
  enrichments: EnrichmentStore;
  postmortems: Pick<PostmortemStore, 'find'>;
  actionItems: Pick<ActionItemStore, 'listForIncident'>;
  /** Datadog's site, for the notebook's link (`datadoghq.eu`: https://app.datadoghq.eu/notebook/<id>). */
  site?: string;
  now: () => Date;
}

export type ExportOutcome =
  | { kind: 'exported'; url: string }
  | { kind: 'already_exported' | 'not_published' | 'missing' }
  | { kind: 'problem'; problem: { call: string; message: string; at: Date }; first: boolean };

/** Thrown while the publication the job was queued for is not saved yet (the job retries). */
export class PublicationNotSavedError extends Error {
  constructor(incidentId: string) {
    super(`the publication of ${incidentId}'s postmortem is not saved yet`);
  }
}

export async function exportNotebook(
  deps: ExportNotebookDeps,
  incidentId: string,
  publishedVersion: number,
): Promise<ExportOutcome> {
  const { createNotebook } = deps.datadog;
  if (createNotebook === undefined) throw new Error('exportNotebook needs createNotebook');
  const postmortem = await deps.postmortems.find(incidentId);
  if (postmortem === null) return { kind: 'missing' };
  // The API queues the job before its write is seen: an earlier version means it has not landed yet.
  if (postmortem.version < publishedVersion) throw new PublicationNotSavedError(incidentId);
  if (postmortem.status !== 'published') return { kind: 'not_published' };
  if ((await deps.enrichments.find(incidentId)).notebook !== null) return { kind: 'already_exported' };
  const items = await deps.actionItems.listForIncident(incidentId);
  const { facts } = postmortem;
  let answer: unknown;
  try {
    answer = await createNotebook(
      notebookRequest({
        title: facts.title,
        markdown: renderPostmortemMarkdown(postmortem, items),
        metrics: facts.metrics ?? [],
        detectedAt: facts.detectedAt,
        resolvedAt: facts.resolvedAt,
      }),
    );
  } catch (error) {
    if (!(error instanceof DatadogApiError)) throw error;
    const { failure } = error;
    if (failure.kind === 'rate_limited' || failure.kind === 'unavailable') throw error;
    return problem(deps, incidentId, describeFailure(failure));
  }
  const id = readNotebookId(answer);
  if (id === null) return problem(deps, incidentId, "Datadog's answer names no notebook id");
  const url = `${datadogAppUrl(deps.site ?? 'datadoghq.com')}/notebook/${id}`;
  await deps.enrichments.recordNotebook(incidentId, { id, url, at: deps.now() });
  return { kind: 'exported', url };
}

async function problem(
  deps: ExportNotebookDeps,
  incidentId: string,
  message: string,
): Promise<ExportOutcome> {
  const recorded = { call: 'createNotebook', message, at: deps.now() };
  return {
    kind: 'problem',
    problem: recorded,
    first: await deps.enrichments.recordProblem(incidentId, recorded),
  };
}
