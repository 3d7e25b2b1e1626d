/**
 * The database's own ceiling: a bare driver loop doing the writes one alert causes, in the order
 * src/use-cases/ingest-alert.ts does them. Per alert (a trigger opens an incident, its recovery appends):
 *   1. alert_log upsert ($setOnInsert, by _id)                          write
 *   2. incidents findOne({currentKey})                                   read
 *   3a. trigger: incidents insert (a new current incident)               write
 *   3b. recovery: incidents updateOne({_id, version}) $set + $push       write
 *   4. alert_log bulkWrite of updateOne({_id}) status 'applied'          write
 * (an opening also reads held alerts twice: alert_log find({groupKey, status:'held'}) — included.)
 */
import { MongoClient, ObjectId } from 'mongodb';
import { cleanupPhase, phaseEnv, type Services } from '../lib/env';
import { round } from '../lib/util';

export const WRITES_PER_ALERT = 3;

interface BenchEvent {
  eventId: string;
  transition: string;
  at: Date;
  receivedAt: Date;
  raw: string;
}

interface BenchIncident {
  _id: ObjectId;
  groupKey: string;
  currentKey: string;
  events: BenchEvent[];
  createdAt: Date;
  status: string;
  version: number;
  title: string;
}
export const WRITES_DESCRIPTION =
  'writesPerAlert=3: alert_log upsert, incident insert (trigger) or version-guarded $set+$push update (recovery), alert_log status update to applied; plus 1 read (current incident by currentKey) and, on an opening, 2 reads of held alerts';

export async function databaseCeiling(
  services: Services,
  durationMs = 10_000,
  concurrency = 16,
): Promise<{ ceilingAlertsPerSec: number; writesPerAlert: number; alerts: number }> {
  const pe = phaseEnv(services, 'db');
  const client = new MongoClient(pe.mongodbUri);
  try {
    const db = client.db(pe.dbName);
    const log = db.collection<{ _id: string } & Record<string, unknown>>('alert_log');
    const incidents = db.collection<BenchIncident>('incidents');
    await incidents.createIndex({ currentKey: 1 }, { unique: true, sparse: true });
    await log.createIndex({ status: 1, receivedAt: -1, _id: -1 });
    await log.createIndex({ groupKey: 1, status: 1 });
    const raw = JSON.stringify({ id: 'x', alert_transition: 'Triggered', event_msg: 'e'.repeat(400) });
    let done = 0;
    let seq = 0;
    const end = Date.now() + durationMs;
    const started = Date.now();
    const one = async (k: number) => {
      const groupKey = `datadog:bench:${k}`;
      for (const transition of ['triggered', 'recovered']) {
        const id = `datadog|ev${k}${transition}`;
        const now = new Date();
        await log.updateOne(
          { _id: id },
          {
            $setOnInsert: {
              source: 'datadog',
              eventId: id,
              groupKey,
              alertKey: groupKey,
              at: now,
              receivedAt: now,
              contentType: 'application/json',
              raw,
              alertJson: raw,
              status: 'received',
              incidentId: null,
              note: null,
              updatedAt: now,
            },
          },
          { upsert: true },
        );
        const current = await incidents.findOne({ currentKey: groupKey });
        const event = { eventId: id, transition, at: now, receivedAt: now, raw };
        let incidentId: ObjectId;
        if (current === null) {
          await log.find({ groupKey, status: 'held' }).toArray();
          incidentId = new ObjectId();
          await incidents.insertOne({
            _id: incidentId,
            groupKey,
            currentKey: groupKey,
            events: [event],
            createdAt: now,
            status: 'open',
            version: 1,
            title: 'High error rate',
          });
        } else {
          incidentId = current._id;
          await incidents.updateOne(
            { _id: current._id, version: current.version },
            {
              $set: { status: 'resolved', version: current.version + 1 },
              $push: { events: event },
            },
          );
        }
        await log.bulkWrite(
          [
            {
              updateOne: {
                filter: { _id: id },
                update: {
                  $set: {
                    status: 'applied',
                    incidentId: incidentId.toHexString(),
                    note: null,
                    updatedAt: new Date(),
                  },
                },
              },
            },
          ],
          { ordered: false },
        );
        if (current === null) await log.find({ groupKey, status: 'held' }).toArray();
        done += 1;
      }
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          seq += 1;
          await one(seq);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    return { ceilingAlertsPerSec: round(done / seconds), writesPerAlert: WRITES_PER_ALERT, alerts: done };
  } finally {
    await client.close();
    await cleanupPhase(services, pe);
  }
}
