/**
 * Grafana Alerting's webhook contact point (payload `version: "1"`) -> Alert[]. Pure: the same body and context
 * always give the same alerts. The group, identity, status and time rules are the Alertmanager shape's
 * (../alertmanager/alertmanager.alerts.ts); what is Grafana's own is here: an alert rule is known by its uid
 * (the alert's `ruleUID`, else the `__alert_rule_uid__` matcher of its `silenceURL`, else its folder and name:
 * Grafana drops `__…__` labels from what it sends), the notification's title is the last title, and the contact
 * point's Test button sends a `TestAlert`.
 */
import {
  labelValue,
  parseAlertGroupWebhook,
  type AlertGroupSource,
  type ListedAlert,
} from '../alertmanager/alertmanager.alerts';
import type { SourceContext, SourceResult } from '../source';

/** The alert Grafana's "Test" button sends (grafana/alerting notify: newTestAlert). */
const TEST_ALERTNAME = 'TestAlert';
const TEST_INSTANCE = 'Grafana';
const TEST_SUMMARY = 'Notification test';

/** The matcher Grafana's silence link carries for the rule (`matcher=__alert_rule_uid__%3D<uid>`). */
const RULE_UID_MATCHER = '__alert_rule_uid__=';
/** Grafana's rule uids are short (`be7y1q9vklzi8c`); anything else in a matcher is not one. */
const RULE_UID = /^[A-Za-z0-9_-]{1,40}$/;

/** The rule uid named by a silence link's matchers, or null. Never throws. */
export function ruleUidInSilenceUrl(silenceUrl: string | null): string | null {
  if (silenceUrl === null || !URL.canParse(silenceUrl)) return null;
  for (const matcher of new URL(silenceUrl).searchParams.getAll('matcher')) {
    const uid = matcher.startsWith(RULE_UID_MATCHER) ? matcher.slice(RULE_UID_MATCHER.length) : '';
    if (RULE_UID.test(uid)) return uid;
  }
  return null;
}

/** The rule: its uid (`ruleUID`, else from its silence link), else `<folder>/<alertname>`, else the alertname. */
function ruleIdOf(alert: ListedAlert): string | null {
  const uid = alert.ruleUid ?? ruleUidInSilenceUrl(alert.silenceUrl);
  if (uid !== null) return uid;
  const folder = labelValue(alert.labels, 'grafana_folder');
  const alertname = labelValue(alert.labels, 'alertname');
  return folder === null || alertname === null ? alertname : `${folder}/${alertname}`;
}

/** The test alert, also when the tester replaced its instance label or its summary (not both). */
function isTestAlert(alert: ListedAlert): boolean {
  return (
    labelValue(alert.labels, 'alertname') === TEST_ALERTNAME &&
    (labelValue(alert.labels, 'instance') === TEST_INSTANCE || alert.summary === TEST_SUMMARY)
  );
}

const GRAFANA: AlertGroupSource = {
  name: 'grafana',
  toolName: 'Grafana Alerting',
  monitorId: ruleIdOf,
  isTest: isTestAlert,
  fallbackTitle: (group) => group.title,
};

/** One webhook notification -> an Alert per listed alert; none listed is ignored; a bad field a ValidationError. */
export function parseGrafanaWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return parseAlertGroupWebhook(body, ctx, GRAFANA);
}
