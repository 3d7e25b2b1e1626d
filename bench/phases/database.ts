/**
 * The database's own ceiling: a bare driver loop (the mongodb driver, no mongoose, no queue, no worker) doing
 * exactly the database operations one alert causes, with the very documents the app writes (built by the same
 * domain code and the repositories' document builders), in the order the worker does them. Per monitor, a
 * trigger opens an incident and its recovery resolves it:
 *
 *   trigger                                               recovery
 *   1. alert_log upsert ($setOnInsert, by _id)       W    1. alert_log upsert                              W
 *   2. incidents findOne({currentKey})               R    2. incidents findOne({currentKey})               R
 *   3. alert_log find held ({groupKey, status})      R    3. incidents updateOne({_id, version}) $set+$push W
 *   4. incidents insertOne (the current incident)    W    4. alert_log updateOne({_id}) status applied     W
 *   5. alert_log updateOne({_id}) status applied     W    the postmortem draft it sets off:
 *   6. alert_log find held, once more                R    5. incidents findOne({_id})                      R
 *                                                         6. postmortems findOne({_id})                    R
 *                                                         7. postmortems insertOne (the draft)             W
 * (With notification targets, the draft also reads its action items to render the message: the bench has none.)
 *
 * Writes per alert: 3 for a trigger, 4 for a recovery: 3.5 on average.
 */
import { MongoClient, ObjectId, type Document, type UpdateFilter } from 'mongodb';
import { loadConfig } from '../../config';
import type { Alert } from '../../src/domain/alert';
import type { Incident } from '../../src/domain/incident';
import { appendAlerts, newIncident } from '../../src/domain/incident-building';
import { draftPostmortemFacts, redraftPostmortem } from '../../src/domain/postmortem-draft';
import { incidentPageUrl } from '../../src/presenters/incident.presenter';
import { alertLogDocument, appliedUpdate, logId } from '../../src/persistence/alert-log.repository';
import { currentIncidentDocument, incidentChange } from '../../src/persistence/incident.repository';
import { postmortemDocument } from '../../src/persistence/postmortem.repository';
import { parseDatadogWebhook } from '../../src/sources/datadog/datadog.adapter';
import { routingRulesFrom } from '../../src/use-cases/rules';
import { cleanupPhase, phaseEnv, type Services } from '../lib/env';
import { streamPayload } from '../lib/payloads';
import { round } from '../lib/util';

export const WRITES_PER_ALERT = 3.5;
export const WRITES_DESCRIPTION =
  "writesPerAlert=3.5: a trigger writes 3 (alert_log upsert, incident insert, alert_log status), a recovery 4 (alert_log upsert, version-guarded incident $set+$push, alert_log status, postmortem draft insert); reads: current incident by currentKey, held alerts twice per opening, and per draft the incident and the postmortem (no notification targets, so no action-items read); documents built by the app's own domain code and repository document builders";

/** An alert as the API would accept it, from the bench's Datadog payloads. */
function benchAlert(i: number, seed: number): { alert: Alert; raw: string } {
  const payload = streamPayload(i, 1_000_000, seed);
  const raw = JSON.stringify(payload);
  const [alert] = parseDatadogWebhook(payload, {
    receivedAt: new Date(),
    rawBody: raw,
    serviceTagKeys: ['service'],
    hostTagKeys: ['host'],
  });
  return { alert: alert!, raw };
}

export async function databaseCeiling(
  services: Services,
  durationMs = 10_000,
  concurrency = 16,
): Promise<{ ceilingAlertsPerSec: number; writesPerAlert: number; alerts: number }> {
  const pe = phaseEnv(services, 'db');
  const config = loadConfig(pe.env);
  const rules = routingRulesFrom(config);
  const client = new MongoClient(pe.mongodbUri);
  const seed = Date.now() % 1000;
  try {
    const db = client.db(pe.dbName);
    const log = db.collection<Record<string, unknown> & { _id: string }>('alert_log');
    const incidents = db.collection('incidents');
    const postmortems = db.collection<Record<string, unknown> & { _id: string }>('postmortems');
    await incidents.createIndex({ currentKey: 1 }, { unique: true, sparse: true });
    await log.createIndex({ groupKey: 1, status: 1, at: 1 });
    let done = 0;
    let monitor = 0;
    const end = Date.now() + durationMs;
    const started = Date.now();

    const record = async (alert: Alert, raw: string, now: Date) => {
      await log.updateOne(
        { _id: logId(alert) },
        {
          $setOnInsert: alertLogDocument({
            source: alert.source,
            eventId: alert.eventId,
            groupKey: alert.groupKey,
            alertKey: alert.alertKey,
            at: new Date(alert.at),
            receivedAt: now,
            contentType: 'application/json',
            raw,
            alert,
          }),
        },
        { upsert: true },
      );
    };
    const heldOf = (groupKey: string) => log.find({ groupKey, status: 'held' }).sort({ at: 1 }).toArray();

    const oneMonitor = async (m: number) => {
      // The trigger.
      const trigger = benchAlert(2 * m, seed);
      let now = new Date();
      await record(trigger.alert, trigger.raw, now);
      await incidents.findOne({ currentKey: trigger.alert.groupKey });
      await heldOf(trigger.alert.groupKey);
      const opened: Incident = newIncident(
        new ObjectId().toHexString(),
        trigger.alert.groupKey,
        [{ alert: trigger.alert, receivedAt: now }],
        rules,
        now,
      );
      await incidents.insertOne(currentIncidentDocument(opened).document);
      await log.updateOne({ _id: logId(trigger.alert) }, appliedUpdate(opened.id, now));
      await heldOf(trigger.alert.groupKey);
      done += 1;

      // Its recovery (same monitor and scope), and the draft it sets off.
      const recovery = benchAlert(2 * m + 1, seed);
      now = new Date();
      await record(recovery.alert, recovery.raw, now);
      await incidents.findOne({ currentKey: recovery.alert.groupKey });
      const { next, added } = appendAlerts(opened, [{ alert: recovery.alert, receivedAt: now }], rules, now);
      await incidents.updateOne(
        { _id: new ObjectId(next.id), version: next.version - 1 },
        // The driver's typing cannot follow the app's event type into $push; the document is the app's own.
        incidentChange(next, added).update as UpdateFilter<Document>,
      );
      await log.updateOne({ _id: logId(recovery.alert) }, appliedUpdate(next.id, now));
      done += 1;
      await incidents.findOne({ _id: new ObjectId(next.id) });
      await postmortems.findOne({ _id: next.id });
      const facts = draftPostmortemFacts(next, {
        timezone: config.displayTimezone,
        incidentUrl: incidentPageUrl(config.publicUrl, next.id),
      });
      await postmortems.insertOne({
        _id: next.id,
        ...postmortemDocument(redraftPostmortem(null, facts, now)),
      });
    };

    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          monitor += 1;
          await oneMonitor(monitor);
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
