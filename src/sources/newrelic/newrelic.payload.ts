/**
 * Reading the lists and label maps of a New Relic workflow payload: the default template's name lists
 * (`alertPolicyNames`, `alertConditionNames`, `sources`, `impactedEntities`), and what a customized template
 * may add (`impactedEntities` as `{{ json entitiesData.entities }}` objects, `labels` / `tags` maps such as
 * `{{ json accumulations.tag }}` whose values are lists).
 */
import type { Label } from '../../domain/alert';
import { labelsFromPairs } from '../../payloads/labels';
import {
  LIMITS,
  field,
  isRecord,
  normalizeWord,
  optionalArray,
  optionalRecord,
  optionalText,
  type JsonRecord,
} from '../../payloads/values';

/** A list of names (`["Golden Signals"]`); null and empty items are skipped. */
export function namesOf(root: JsonRecord, key: string): string[] {
  return optionalArray(key, field(root, key), LIMITS.labels)
    .map((item, i) => optionalText(`${key}[${i}]`, item))
    .filter((name) => name !== null);
}

export interface ImpactedEntities {
  /** Entities that are hosts (`type: HOST`). */
  hosts: string[];
  /** Every other entity, and every entity sent as a bare name (the default template's). */
  services: string[];
  /** All of them, in order. */
  names: string[];
}

/** `impactedEntities`: names (the default template) or `{name, type}` objects (`entitiesData.entities`). */
export function entitiesOf(root: JsonRecord): ImpactedEntities {
  const entities: ImpactedEntities = { hosts: [], services: [], names: [] };
  optionalArray('impactedEntities', field(root, 'impactedEntities'), LIMITS.labels).forEach((item, i) => {
    const path = `impactedEntities[${i}]`;
    const entity = isRecord(item) ? item : null;
    const name =
      entity === null ? optionalText(path, item) : optionalText(`${path}.name`, field(entity, 'name'));
    if (name === null) return;
    const type = entity === null ? null : optionalText(`${path}.type`, field(entity, 'type'));
    (type !== null && normalizeWord(type) === 'host' ? entities.hosts : entities.services).push(name);
    entities.names.push(name);
  });
  return entities;
}

/**
 * A label map of a customized template (`labels`, `tags`): `{"env": "prod"}` or, as `accumulations.tag`
 * renders, `{"env": ["prod"], "team": ["a", "b"]}`, one label per value. Values that are neither a scalar nor
 * a list of scalars are not labels and are skipped; a map that is not an object is refused.
 */
export function labelMapOf(root: JsonRecord, key: string): Label[] {
  const map = optionalRecord(key, field(root, key));
  if (map === null) return [];
  const pairs: Array<{ key: string; value: unknown }> = [];
  for (const name of Object.keys(map).slice(0, LIMITS.labels)) {
    const value = field(map, name);
    const values: readonly unknown[] = Array.isArray(value) ? value.slice(0, LIMITS.labels) : [value];
    for (const one of values) pairs.push({ key: name, value: one });
  }
  return labelsFromPairs(pairs, 'key', 'value');
}

/** One label per name: `policy: Golden Signals`. */
export function labelsNamed(key: string, names: readonly string[]): Label[] {
  return names.map((value) => ({ key, value }));
}
