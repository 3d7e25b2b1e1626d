import type { Request } from 'express';

/**
 * The `:id` of `/api/incidents/:id/...` (a router mounted with mergeParams) and of the pages' `/incidents/:id/...`.
 * Not checked here: the stores find nothing for an id that is not one, and the use-cases answer 404.
 */
export function incidentIdParam(req: Request): string {
  return (req.params as { id?: string }).id ?? '';
}
