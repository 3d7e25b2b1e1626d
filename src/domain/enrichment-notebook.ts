/**
 * A published postmortem as a Datadog notebook (DD_EXPORT_NOTEBOOKS): the request v1.NotebooksApi.createNotebook
 * takes (a NotebookCreateRequest, in the client's camelCase), of type postmortem, with the postmortem's Markdown
 * and a timeseries cell of each metric monitor's metric over the incident's window. Pure.
 */
import { capText } from '../payloads/values';
import type { MetricFact } from './enrichment-facts';

/** The Markdown cell's text is cut beyond this (the notebook links back to Hindsight for the whole report). */
export const MAX_NOTEBOOK_MARKDOWN = 60_000;
/** Timeseries cells at most. */
export const MAX_NOTEBOOK_GRAPHS = 5;
const MAX_NOTEBOOK_NAME = 80;

export interface NotebookInput {
  title: string;
  markdown: string;
  metrics: readonly Pick<MetricFact, 'query' | 'threshold' | 'fromSeconds' | 'toSeconds'>[];
  /** The window of the notebook when no metric has one: the incident with no margin. */
  detectedAt: Date;
  resolvedAt: Date;
}

export function notebookRequest(input: NotebookInput) {
  const metrics = input.metrics.slice(0, MAX_NOTEBOOK_GRAPHS);
  const start = Math.min(input.detectedAt.getTime(), ...metrics.map((m) => m.fromSeconds * 1000));
  const end = Math.max(input.resolvedAt.getTime(), ...metrics.map((m) => m.toSeconds * 1000));
  const markdown =
    input.markdown.length <= MAX_NOTEBOOK_MARKDOWN
      ? input.markdown
      : `${input.markdown.slice(0, MAX_NOTEBOOK_MARKDOWN)}\n\n_(cut: the whole report is in Hindsight)_`;
  return {
    data: {
      type: 'notebooks',
      attributes: {
        name: capText(`Postmortem: ${input.title}`, MAX_NOTEBOOK_NAME),
        status: 'published',
        metadata: { type: 'postmortem', isTemplate: false, takeSnapshots: false },
        time: { start: new Date(start), end: new Date(end) },
        cells: [
          { type: 'notebook_cells', attributes: { definition: { type: 'markdown', text: markdown } } },
          ...metrics.map((metric) => ({
            type: 'notebook_cells',
            attributes: {
              definition: {
                type: 'timeseries',
                requests: [{ q: metric.query, displayType: 'line' }],
                markers: [
                  { value: `y = ${metric.threshold}`, displayType: 'error dashed', label: 'threshold' },
                ],
              },
              graphSize: 'l',
              time: { start: new Date(metric.fromSeconds * 1000), end: new Date(metric.toSeconds * 1000) },
            },
          })),
        ],
      },
    },
  };
}
