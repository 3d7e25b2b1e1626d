import { trusted } from 'mongoose';
import type { MetricFact } from '../domain/enrichment-facts';
import type { Postmortem, PostmortemFacts } from '../domain/postmortem';
import type { PostmortemStatusOf, PostmortemStore } from '../use-cases/ports';
import { insertOrKnown, isDuplicateKeyError } from './connection';
import { findInChunks } from './in-chunks';
import type { PostmortemDoc, PostmortemModel } from './postmortem.model';

export class PostmortemRepository implements PostmortemStore {
  constructor(private readonly postmortems: PostmortemModel) {}

  async find(incidentId: string): Promise<Postmortem | null> {
    const doc = await this.postmortems.findById(incidentId).lean<PostmortemDoc>();
    return doc ? toPostmortem(doc) : null;
  }

  async findStatuses(incidentIds: readonly string[]): Promise<PostmortemStatusOf[]> {
    const docs = await findInChunks(incidentIds, (chunk) =>
      this.postmortems
        .find({ _id: trusted({ $in: chunk }) }, { status: 1 })
        .lean<Pick<PostmortemDoc, '_id' | 'status'>[]>(),
    );
    return docs.map((doc) => ({ incidentId: doc._id, status: doc.status }));
  }

  async insert(postmortem: Postmortem): Promise<'inserted' | 'conflict'> {
    try {
      await this.postmortems.create({ _id: postmortem.incidentId, ...postmortemDocument(postmortem) });
      return 'inserted';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'conflict';
      throw error;
    }
  }

  async insertMany(postmortems: readonly Postmortem[]): Promise<Set<string>> {
    // Cast and checked by the schema, as create() does, before the driver's own insert.
    const docs = await Promise.all(
      postmortems.map(async (p) => {
        const doc = new this.postmortems({ _id: p.incidentId, ...postmortemDocument(p) });
        await doc.validate();
        return doc.toObject();
      }),
    );
    const existing = await insertOrKnown(this.postmortems.collection, docs, 'postmortems');
    return new Set([...existing].map((index) => postmortems[index]!.incidentId));
  }

  async saveChange(next: Postmortem): Promise<boolean> {
    const result = await this.postmortems.updateOne(
      { _id: next.incidentId, version: next.version - 1 },
      { $set: postmortemDocument(next) },
    );
    return result.matchedCount === 1;
  }

  async withdraw(postmortem: Postmortem): Promise<boolean> {
    const result = await this.postmortems.deleteOne({
      _id: postmortem.incidentId,
      version: postmortem.version,
    });
    return result.deletedCount === 1;
  }
}

/** A postmortem's stored fields (without _id, which is the incident's id). */
export function postmortemDocument(postmortem: Postmortem): Omit<PostmortemDoc, '_id'> {
  return {
    status: postmortem.status,
    factsJson: JSON.stringify(postmortem.facts),
    resolutionCount: postmortem.facts.resolutionCount,
    sections: postmortem.sections,
    version: postmortem.version,
    draftedAt: postmortem.draftedAt,
    updatedAt: postmortem.updatedAt,
    publishedAt: postmortem.publishedAt,
    updatedBy: postmortem.updatedBy ?? null,
    publishedBy: postmortem.publishedBy ?? null,
  };
}

function toPostmortem(doc: PostmortemDoc): Postmortem {
  return {
    incidentId: doc._id,
    status: doc.status,
    facts: factsFromJson(doc.factsJson),
    sections: doc.sections,
    version: doc.version,
    draftedAt: doc.draftedAt,
    updatedAt: doc.updatedAt,
    publishedAt: doc.publishedAt,
    updatedBy: doc.updatedBy ?? null,
    publishedBy: doc.publishedBy ?? null,
  };
}

/** The facts as stored: dates went out as ISO strings and come back as Dates. */
function factsFromJson(json: string): PostmortemFacts {
  const raw = JSON.parse(json) as PostmortemFacts & Record<string, unknown>;
  return {
    ...raw,
    detectedAt: new Date(raw.detectedAt),
    resolvedAt: new Date(raw.resolvedAt),
    timeline: raw.timeline.map((t) => ({ ...t, at: new Date(t.at), receivedAt: new Date(t.receivedAt) })),
    ...(raw.metrics === undefined ? {} : { metrics: raw.metrics.map(metricFactFromJson) }),
    ...(raw.changes === undefined ? {} : { changes: raw.changes.map((c) => ({ ...c, at: new Date(c.at) })) }),
  };
}

function metricFactFromJson(metric: MetricFact): MetricFact {
  const { worst, firstCrossedAt, cameBackAt } = metric.figures;
  const date = (d: Date | null) => (d === null ? null : new Date(d));
  return {
    ...metric,
    figures: {
      ...metric.figures,
      worst: worst === null ? null : { ...worst, at: new Date(worst.at) },
      firstCrossedAt: date(firstCrossedAt),
      cameBackAt: date(cameBackAt),
    },
  };
}
