/**
 * Prometheus Alertmanager's webhook receiver (`webhook_configs`, payload `version: "4"`) -> Alert[]. Pure: the
 * same body and context always give the same alerts. The group, identity, status and time rules are the
 * Alertmanager shape's (../shared/alertmanager-alerts.ts); what is Alertmanager's own is here: an alert rule is
 * known by its alertname, and there is no test notification.
 */
import { labelValue, parseAlertGroupWebhook, type AlertGroupSource } from './alertmanager.alerts';
import type { SourceContext, SourceResult } from '../source';

const ALERTMANAGER: AlertGroupSource = {
  name: 'alertmanager',
  toolName: 'Alertmanager',
  monitorId: (alert) => labelValue(alert.labels, 'alertname'),
  isTest: () => false,
  fallbackTitle: () => null,
};

/** One webhook notification -> an Alert per listed alert; none listed is ignored; a bad field a ValidationError. */
export function parseAlertmanagerWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return parseAlertGroupWebhook(body, ctx, ALERTMANAGER);
}
