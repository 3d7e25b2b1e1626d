import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Parses with the schema or throws a 400 naming the first bad field. */
export function parseOr400<T extends z.ZodType>(
  schema: T,
  value: unknown,
  fallbackField = 'body',
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A strict object's unknown key is named itself, not the object that holds it.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    throw new ValidationError(path.join('.') || fallbackField, issue.message);
  }
  return parsed.data;
}
