import type { Request } from 'express';
import { ValidationError } from '../errors';
import { NUL_MESSAGE } from './validation';

/**
 * A path parameter as sent. Not checked for form: the stores find nothing for an id that is not one, and the
 * use-cases answer 404. One with a NUL character is refused (400 naming it): no id holds one, and the test
 * server fails a query that does instead of finding nothing.
 */
export function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name] ?? '';
  if (value.includes('\u0000')) throw new ValidationError(name, NUL_MESSAGE);
  return value;
}

/** The `:id` of `/api/incidents/:id/...` (a router mounted with mergeParams) and of the pages' `/incidents/:id/...`. */
export function incidentIdParam(req: Request): string {
  return pathParam(req, 'id');
}
