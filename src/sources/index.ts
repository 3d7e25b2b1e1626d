/**
 * The monitors Hindsight takes alerts from: the only list of them. Routes (`POST /webhooks/<name>`), the token
 * and secret variables, source settings and the fixture tests are all derived from it; adding a source is its
 * folder, one line here and its README section.
 */
import { alertmanagerSource } from './alertmanager/alertmanager.source';
import { azureSource } from './azure/azure.source';
import { cloudwatchSource } from './cloudwatch/cloudwatch.source';
import { datadogSource } from './datadog/datadog.source';
import { gcpSource } from './gcp/gcp.source';
import { genericSource } from './generic/generic.source';
import { grafanaSource } from './grafana/grafana.source';
import { newrelicSource } from './newrelic/newrelic.source';
import { opsgenieSource } from './opsgenie/opsgenie.source';
import { pagerdutySource } from './pagerduty/pagerduty.source';
import { sentrySource } from './sentry/sentry.source';
import { uptimeKumaSource } from './uptime-kuma/uptime-kuma.source';
import { uptimerobotSource } from './uptimerobot/uptimerobot.source';
import { zabbixSource } from './zabbix/zabbix.source';
import type { Source } from './source';

export const SOURCES: readonly Source[] = [
  datadogSource,
  alertmanagerSource,
  grafanaSource,
  pagerdutySource,
  opsgenieSource,
  newrelicSource,
  sentrySource,
  azureSource,
  cloudwatchSource,
  gcpSource,
  zabbixSource,
  uptimerobotSource,
  uptimeKumaSource,
  genericSource,
];

export type { BodyFormat, Source, SourceContext, SourceResult } from './source';

export const SOURCE_NAMES: readonly string[] = SOURCES.map((source) => source.name);

/** `uptime-kuma` -> `UPTIME_KUMA`, `generic/ci-jobs` -> `GENERIC_CI_JOBS`: a source's name in its variables. */
export function envSuffix(sourceName: string): string {
  return sourceName.toUpperCase().replace(/[-/]/g, '_');
}

/** The variable holding a source's own webhook token (else WEBHOOK_TOKEN is used). */
export const tokenVariable = (sourceName: string): string => `WEBHOOK_TOKEN_${envSuffix(sourceName)}`;

/** The variable holding a signing source's secret. */
export const secretVariable = (sourceName: string): string => `WEBHOOK_SECRET_${envSuffix(sourceName)}`;
