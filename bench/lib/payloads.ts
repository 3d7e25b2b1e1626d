/** Realistic Datadog custom-template payloads (the shape of test/helpers/pipeline.ts datadogPayload()). */
let counter = 0;
const RUN = Date.now().toString(36);

export interface PayloadFields {
  transition: 'Triggered' | 'Recovered';
  monitorId: string;
  scope: string;
  at?: number;
}

export function datadogPayload(fields: PayloadFields): Record<string, string> {
  counter += 1;
  const at = String(fields.at ?? Date.now());
  const title = `High error rate on ${fields.scope.replace(/^host:/, '')}`;
  return {
    id: `${RUN}${process.pid}${String(counter).padStart(8, '0')}`,
    alert_transition: fields.transition,
    alert_id: fields.monitorId,
    alert_title: title,
    alert_scope: fields.scope,
    alert_priority: 'P2',
    alert_cycle_key: '$ALERT_CYCLE_KEY',
    date: at,
    last_updated: at,
    tags: `service:svc-${Number(fields.monitorId) % 40},env:prod,${fields.scope}`,
    hostname: fields.scope.replace(/^host:/, ''),
    link: `https://app.datadoghq.com/monitors/${fields.monitorId}`,
    event_title: `[${fields.transition} on {${fields.scope}}] ${title}`,
    event_msg: 'Error rate above 5% for 5 minutes',
    event_type: 'query_alert_monitor',
    org_id: '1',
    org_name: 'Acme',
  };
}

/** The i-th alert of a stream over `monitors` monitors: a trigger, then its recovery, monitor after monitor. */
export function streamPayload(i: number, monitors = 1000, seed = 0): Record<string, string> {
  const cycle = Math.floor(i / 2);
  const monitor = 100_000 + seed * 10_000 + (cycle % monitors);
  const host = `host:web-${cycle % 97}`;
  return datadogPayload({
    transition: i % 2 === 0 ? 'Triggered' : 'Recovered',
    monitorId: String(monitor),
    scope: host,
    at: Date.now() + (i % 2) * 1000,
  });
}
