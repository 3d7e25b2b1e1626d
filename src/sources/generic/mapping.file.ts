/**
 * Mapping files (config/generic/<name>.json), read and compiled once at start: the schema (unknown fields
 * refused), every CEL expression parsed and planned, the statusMap normalized. Every error names the endpoint
 * (or, before its name is known, the file) and the field: `generic/example-ci: fields.status: <CEL's error>`.
 */
import { z } from 'zod';
import { ALERT_TRANSITIONS } from '../../domain/alert';
import { normalizeWord } from '../../payloads/values';
import { GENERIC_FIELDS, type GenericField } from './generic.payload';
import type { StatusMeaning, StatusWords } from './generic.words';
import { compileExpression, type CompiledExpression } from './mapping.cel';

const REQUIRED_FIELDS: ReadonlySet<GenericField> = new Set<GenericField>(['key', 'title', 'status']);

const expression = z.string().trim().min(1, 'must be a CEL expression');

const mappingSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 lower-case letters, digits or -'),
  alerts: expression.optional(),
  fields: z.strictObject(
    Object.fromEntries(
      GENERIC_FIELDS.map((name) => [name, REQUIRED_FIELDS.has(name) ? expression : expression.optional()]),
    ) as Record<GenericField, z.ZodOptional<typeof expression> | typeof expression>,
  ),
  statusMap: z
    .record(
      z.string().regex(/[a-z0-9]/i, 'must contain a letter or digit'),
      z.enum([...ALERT_TRANSITIONS, 'ignore']),
    )
    .optional(),
});

export type MappingFile = z.infer<typeof mappingSchema>;

export interface CompiledMapping {
  /** The endpoint's name (`example-ci`); the source is `generic/<name>`. */
  name: string;
  source: string;
  /** The list of alert items in a payload; null: the payload is the one alert. */
  alerts: CompiledExpression | null;
  fields: ReadonlyMap<GenericField, CompiledExpression>;
  statusWords: StatusWords;
}

/** A mapping file that cannot be used: names the endpoint (or the file) and the field. */
export class GenericMappingError extends Error {
  constructor(
    readonly endpoint: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${endpoint}: ${field}: ${detail}`);
    this.name = 'GenericMappingError';
  }
}

function readMappingFile(fileName: string, json: unknown): MappingFile {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new GenericMappingError(fileName, 'file', `is not JSON (${(error as Error).message})`);
    }
  }
  const parsed = mappingSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const name = mappingSchema.shape.name.safeParse((value as { name?: unknown } | null)?.name);
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String);
  const known = path.length === 0 ? Object.keys(mappingSchema.shape) : GENERIC_FIELDS;
  const [field, detail] =
    issue.code === 'unrecognized_keys'
      ? [[...path, issue.keys[0]!].join('.'), `unknown field (known: ${known.join(', ')})`]
      : [path.join('.') || 'file', issue.code === 'invalid_key' ? issue.issues[0]!.message : issue.message];
  throw new GenericMappingError(name.success ? `generic/${name.data}` : fileName, field, detail);
}

function statusWordsOf(endpoint: string, statusMap: Record<string, StatusMeaning>): StatusWords {
  const words = new Map<string, StatusMeaning>();
  for (const [word, meaning] of Object.entries(statusMap)) {
    const normalized = normalizeWord(word);
    if (words.has(normalized) && words.get(normalized) !== meaning)
      throw new GenericMappingError(endpoint, `statusMap.${word}`, `is mapped twice (as ${normalized})`);
    words.set(normalized, meaning);
  }
  return words;
}

/**
 * A mapping file (its text, or its parsed JSON) compiled: throws a GenericMappingError naming the endpoint
 * and the field (`generic/example-ci: fields.status: <CEL's parse error>`). `fileName`'s base name must be the
 * endpoint's name, so one file is one endpoint.
 */
export function compileMapping(fileName: string, json: unknown): CompiledMapping {
  const file = readMappingFile(fileName, json);
  const endpoint = `generic/${file.name}`;
  const baseName = fileName
    .split(/[\\/]/)
    .pop()!
    .replace(/\.json$/, '');
  if (baseName !== file.name)
    throw new GenericMappingError(endpoint, 'name', `must be the file's name (${baseName})`);
  const compile = (field: string, text: string) => {
    try {
      return compileExpression(text);
    } catch (error) {
      throw new GenericMappingError(endpoint, field, (error as Error).message.slice(0, 300));
    }
  };
  const fields = new Map<GenericField, CompiledExpression>();
  for (const name of GENERIC_FIELDS) {
    const text = file.fields[name];
    if (text !== undefined) fields.set(name, compile(`fields.${name}`, text));
  }
  return {
    name: file.name,
    source: endpoint,
    alerts: file.alerts === undefined ? null : compile('alerts', file.alerts),
    fields,
    statusWords: statusWordsOf(endpoint, file.statusMap ?? {}),
  };
}
