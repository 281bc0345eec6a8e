/**
 * One error hierarchy for the whole CLI. Everything the user can fix is a {@link UserError}; the
 * single mapping from errors to exit codes and messages lives in `cli/report-error.ts`.
 */

/**
 * Marks our errors. The published CLI is several bundles, each with its own copy of these
 * classes, so errors are recognised by this registered symbol rather than by `instanceof`.
 */
const BRAND = Symbol.for('create-backend.error');

/** What kind of error it is, which decides how it is reported. */
export type ErrorKind = 'user' | 'cancelled' | 'bug';

/** Base class: an error create-backend raised on purpose. */
export class CreateBackendError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  readonly kind: ErrorKind = 'user';
  readonly [BRAND] = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether a value is one of our errors, from whichever bundle it was thrown. */
export function isCreateBackendError(value: unknown): value is CreateBackendError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Something the user can fix: a bad flag, a malformed answers file, a non-empty directory. */
export class UserError extends CreateBackendError {
  /** One-line hint on how to fix it (which flag or file), printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.hint = hint;
  }
}

/** The command line itself is wrong: unknown flag, unknown command, bad value. */
export class UsageError extends UserError {}

/** An answer (from a flag, an answers file or a manifest) failed validation. */
export class InvalidAnswerError extends UserError {}

/** A required answer is missing and prompting is not possible. */
export class MissingAnswerError extends UserError {}

/** The target directory cannot be written as asked. */
export class TargetDirectoryError extends UserError {}

/** The project a command works on is not usable as it is: no manifest, a corrupt or newer one, a dirty tree. */
export class ProjectError extends UserError {}

/** A post-write task (install, git) failed; the project itself was written. */
export class TaskError extends UserError {}

/** The user pressed Ctrl-C or cancelled a prompt. */
export class CancelledError extends CreateBackendError {
  override readonly exitCode = 130;
  override readonly kind = 'cancelled';
  constructor() {
    super('Cancelled. Nothing was written.');
  }
}

/** A template or generator bug: never the user's fault, reported with a request to file it. */
export class TemplateError extends CreateBackendError {
  override readonly exitCode = 70;
  override readonly kind = 'bug';
}
