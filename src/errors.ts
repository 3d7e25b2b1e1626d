/** Errors that carry an HTTP status and a stable code; the error middleware turns them into JSON. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A payload or request that does not fit its schema: names the field that is wrong. */
export class ValidationError extends AppError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(400, 'invalid_payload', `${field}: ${message}`, { field });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid credentials') {
    super(401, 'unauthorized', message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}

/** The resource changed since the version the caller read: re-read and apply the edit again. */
export class VersionConflictError extends AppError {
  constructor(what: string, currentVersion: number) {
    super(
      409,
      'version_conflict',
      `${what} was changed by someone else; re-read it (now version ${currentVersion})`,
      {
        currentVersion,
      },
    );
  }
}

/** An edit that must name the version it was made from did not. */
export class PreconditionRequiredError extends AppError {
  constructor() {
    super(
      428,
      'version_required',
      'send If-Match: "<version>" or a "version" field with the version you edited',
    );
  }
}

/** The request is well-formed but the resource is not in a state that allows it. */
export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(422, code, message, details);
  }
}

export class InvalidStateError extends AppError {
  constructor(message: string) {
    super(409, 'invalid_state', message);
  }
}
