/**
 * The UptimeRobot webhook alert contact's fields: the JSON template Hindsight publishes, and how one variable is
 * read from a JSON body or from the form fields UptimeRobot sends as POST parameters (the same names).
 */
import { field, optionalText, type JsonRecord } from '../../payloads/values';

/** The POST value (JSON) to paste into the alert contact: every variable quoted, so ids keep their digits. */
export const UPTIMEROBOT_TEMPLATE = JSON.stringify(
  {
    monitorID: '*monitorID*',
    monitorURL: '*monitorURL*',
    monitorFriendlyName: '*monitorFriendlyName*',
    alertType: '*alertType*',
    alertTypeFriendlyName: '*alertTypeFriendlyName*',
    alertDetails: '*alertDetails*',
    alertDuration: '*alertDuration*',
    alertDateTime: '*alertDateTime*',
    sslExpiryDaysLeft: '*sslExpiryDaysLeft*',
  },
  null,
  2,
);

/** A variable UptimeRobot did not render (`*monitorID*` as typed): it counts as absent. */
const UNRENDERED_VARIABLE = /^\*[A-Za-z]+\*$/;

/**
 * A variable's text, trimmed and capped; null when absent, empty or unrendered. Objects and lists are refused,
 * naming the field.
 */
export function variableText(payload: JsonRecord, key: string, max?: number): string | null {
  const text = optionalText(key, field(payload, key), max);
  return text !== null && UNRENDERED_VARIABLE.test(text) ? null : text;
}
