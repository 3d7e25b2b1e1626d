/**
 * Which Datadog events are changes: deployments, configuration changes, CI and source-control events, feature
 * flags. Decided from the event's source and tags only (its title and text are free prose anyone can write).
 */
import type { DatadogEvent } from './enrichment-change-events';
import { normalizeWord } from '../payloads/values';

export type ChangeKind = 'deployment' | 'configuration' | 'ci' | 'source control' | 'feature flag' | 'change';

/**
 * What counts as a change, first matching row wins. An event is a change when its source (`sourceTypeName`) is
 * one of the row's sources, or one of its tags matches one of the row's tags: `word` is a tag with no value,
 * `key:*` a key with any value, `key:value` that pair. Sources, keys and values are compared in lower case,
 * letters and digits only (`Travis CI` is `travisci`, `event-type:Deployment` is `event_type:deployment`).
 * Other events (monitor alerts, Kubernetes pod events, Docker, AWS, user notes) are not changes.
 */
export const CHANGE_EVENT_RULES: readonly { kind: ChangeKind; sources: string[]; tags: string[] }[] = [
  {
    kind: 'deployment',
    sources: [
      'deploy',
      'deployment',
      'argocd',
      'spinnaker',
      'octopus deploy',
      'harness',
      'codedeploy',
      'aws codedeploy',
      'flux',
      'fluxcd',
      'helm',
    ],
    tags: [
      'deploy',
      'deployment',
      'release',
      'rollback',
      'event_type:deploy',
      'event_type:deployment',
      'event_type:release',
      'event_type:rollback',
      'event_reason:ScalingReplicaSet',
      'event_reason:DeploymentRollback',
      'source_component:deployment-controller',
    ],
  },
  {
    kind: 'configuration',
    sources: ['chef', 'puppet', 'ansible', 'terraform', 'salt', 'saltstack', 'cfengine'],
    tags: [
      'config',
      'configuration',
      'config_change',
      'event_type:config',
      'event_type:configuration',
      'event_type:config_change',
    ],
  },
  {
    kind: 'ci',
    sources: [
      'jenkins',
      'circleci',
      'travis ci',
      'travis',
      'buildkite',
      'teamcity',
      'bamboo',
      'github actions',
      'gitlab ci',
      'azure devops',
      'azure pipelines',
      'drone',
      'bitbucket pipelines',
    ],
    tags: ['event_type:ci', 'event_type:build', 'event_type:pipeline'],
  },
  {
    kind: 'source control',
    sources: ['github', 'gitlab', 'bitbucket'],
    tags: ['event_type:push', 'event_type:commit', 'event_type:merge', 'event_type:pull_request'],
  },
  {
    kind: 'feature flag',
    sources: [
      'launchdarkly',
      'split',
      'flagsmith',
      'statsig',
      'optimizely',
      'unleash',
      'configcat',
      'growthbook',
    ],
    tags: ['feature_flag', 'feature_flag:*', 'event_type:feature_flag'],
  },
  {
    kind: 'change',
    sources: ['change'],
    tags: ['change', 'change_type:*', 'category:change', 'event_type:change'],
  },
];

const RULES = CHANGE_EVENT_RULES.map((rule) => ({
  kind: rule.kind,
  sources: new Set(rule.sources.map(normalizeWord)),
  tags: new Set(rule.tags.map(normalizeTag)),
}));

/** The kind of change the event is, by the table above; null when it is not one. */
export function changeKindOf(event: Pick<DatadogEvent, 'source' | 'tags'>): ChangeKind | null {
  const source = event.source === null ? null : normalizeWord(event.source);
  const tags = event.tags.flatMap((t) => {
    const tag = normalizeTag(t);
    return tag.includes(':') ? [tag, `${tag.slice(0, tag.indexOf(':'))}:*`] : [tag];
  });
  const rule = RULES.find(
    (r) => (source !== null && r.sources.has(source)) || tags.some((t) => r.tags.has(t)),
  );
  return rule?.kind ?? null;
}

export function isChangeEvent(event: Pick<DatadogEvent, 'source' | 'tags'>): boolean {
  return changeKindOf(event) !== null;
}

/** `Event-Type:Deployment` → `eventtype:deployment`; `key:*` keeps its star. */
function normalizeTag(tag: string): string {
  const colon = tag.indexOf(':');
  if (colon < 0) return normalizeWord(tag);
  const value = tag.slice(colon + 1).trim();
  return `${normalizeWord(tag.slice(0, colon))}:${value === '*' ? '*' : normalizeWord(value)}`;
}
