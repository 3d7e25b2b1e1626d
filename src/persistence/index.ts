import type { Connection } from 'mongoose';
import { ActionItemRepository } from './action-item.repository';
import { actionItemModel } from './action-item.model';
import { AlertLogRepository } from './alert-log.repository';
import { alertLogModel } from './alert-log.model';
import { DeliveryRepository } from './delivery.repository';
import { enrichmentModel } from './enrichment.model';
import { EnrichmentRepository } from './enrichment.repository';
import { deliveryModel } from './delivery.model';
import { IncidentRepository } from './incident.repository';
import { incidentModel } from './incident.model';
import { incidentEventModel } from './incident-event.model';
import type { ProjectionRules } from '../domain/incident-projection';
import { migrate } from './migrations';
import { PostmortemRepository } from './postmortem.repository';
import { postmortemModel } from './postmortem.model';
import { ShareLinkRepository } from './share-link.repository';
import { shareLinkModel } from './share-link.model';

export interface Repositories {
  incidents: IncidentRepository;
  alertLog: AlertLogRepository;
  deliveries: DeliveryRepository;
  postmortems: PostmortemRepository;
  actionItems: ActionItemRepository;
  enrichments: EnrichmentRepository;
  shareLinks: ShareLinkRepository;
}

/** The repositories over one connection; `rules` are those the incidents' timelines are derived with. */
export function createRepositories(connection: Connection, rules: ProjectionRules): Repositories {
  return {
    incidents: new IncidentRepository(incidentModel(connection), incidentEventModel(connection), rules),
    alertLog: new AlertLogRepository(alertLogModel(connection)),
    deliveries: new DeliveryRepository(deliveryModel(connection)),
    postmortems: new PostmortemRepository(postmortemModel(connection)),
    actionItems: new ActionItemRepository(actionItemModel(connection)),
    enrichments: new EnrichmentRepository(enrichmentModel(connection)),
    shareLinks: new ShareLinkRepository(shareLinkModel(connection)),
  };
}

/** Every model of the app, for index creation and for tests that check index coverage. */
export function allModels(connection: Connection) {
  return [
    incidentModel(connection),
    incidentEventModel(connection),
    alertLogModel(connection),
    deliveryModel(connection),
    postmortemModel(connection),
    actionItemModel(connection),
    enrichmentModel(connection),
    shareLinkModel(connection),
  ];
}

/**
 * Readies the database at start-up, in every process (idempotent): the collections, their indexes, and the
 * migrations of what older versions stored (./migrations.ts).
 */
export async function prepareDatabase(connection: Connection): Promise<void> {
  await ensureIndexes(connection);
  await migrate(connection);
}

/**
 * Creates the collections and their declared indexes, instead of mongoose's autoIndex, so the unique indexes
 * that correctness rests on exist before the first write.
 */
export async function ensureIndexes(connection: Connection): Promise<void> {
  for (const model of allModels(connection)) {
    await model.createCollection().catch((error: unknown) => {
      if (
        (error as { codeName?: string }).codeName !== 'NamespaceExists' &&
        (error as { code?: number }).code !== 48
      )
        throw error;
    });
    await model.createIndexes();
  }
}
