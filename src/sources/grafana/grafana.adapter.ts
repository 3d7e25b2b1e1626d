/**
 * Grafana Alerting's webhook contact point (payload `version: "1"`) -> Alert[]. Pure: the same body and context
 * always give the same alerts. The group, identity, status and time rules are the Alertmanager shape's
 * (../shared/alertmanager-alerts.ts); what is Grafana's own is here: an alert rule is known by its
 * `__alert_rule_uid__` label (else its folder and name), the notification's title is the last title, and the
 * contact point's Test button sends a `TestAlert`.
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

/** The rule: its uid when the label is kept, else `<folder>/<alertname>`, else the alertname. */
function ruleIdOf(alert: ListedAlert): string | null {
  const uid = labelValue(alert.labels, '__alert_rule_uid__');
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
