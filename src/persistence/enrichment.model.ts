import { Schema, type Connection, type Model } from 'mongoose';

/**
 * What Datadog's API added to incidents, one document per fact: a monitor's details
 * (`<incidentId>:monitor:<monitorId>`), its metric over the incident (`<incidentId>:metric:<monitorId>`, replaced
 * at each resolution), the changes shortly before (`<incidentId>:changes`), the notebook a published postmortem
 * went to (`<incidentId>:notebook`), or a call that failed for good (`<incidentId>:problem:<call>`). Kept
 * apart from the incident, so enrichment never races an alert's write to it, and one fact is one atomic write.
 * The details are stored as JSON text: a snapshot for rendering, never queried, carrying Datadog-made strings.
 */
export const ENRICHMENT_KINDS = ['monitor', 'metric', 'changes', 'notebook', 'problem'] as const;
export type EnrichmentKind = (typeof ENRICHMENT_KINDS)[number];

export interface EnrichmentDoc {
  _id: string;
  incidentId: string;
  kind: EnrichmentKind;
  json: string;
  at: Date;
}

const enrichmentSchema = new Schema<EnrichmentDoc>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    kind: { type: String, required: true, enum: ENRICHMENT_KINDS },
    json: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'enrichments', versionKey: false, strict: 'throw' },
);

enrichmentSchema.index({ incidentId: 1 }, { name: 'by_incident' });

export type EnrichmentModel = Model<EnrichmentDoc>;

export function enrichmentModel(connection: Connection): EnrichmentModel {
  return (
    (connection.models.Enrichment as EnrichmentModel | undefined) ??
    connection.model<EnrichmentDoc>('Enrichment', enrichmentSchema)
  );
}
