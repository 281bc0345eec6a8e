import { isCreateBackendError, type UserError } from '../errors.js';

/**
 * The one place that turns an error into a message and an exit code. User errors print one
 * paragraph and a hint, never a stack trace; `--verbose` adds the internals.
 */
export function reportError(error: unknown, verbose: boolean, write: (text: string) => void, json?: (text: string) => void): number {
  if (json) return reportErrorAsJson(error, json);
  const details = verbose && error instanceof Error ? `\n${error.stack ?? ''}${error.cause ? `\nCaused by: ${String((error.cause as Error).stack ?? error.cause)}` : ''}\n` : '';
  if (isCreateBackendError(error)) {
    if (error.kind === 'user') {
      const { hint } = error as UserError;
      write(`Error: ${error.message}\n${hint ? `${hint}\n` : ''}${details}`);
    } else if (error.kind === 'bug') {
      write(`Internal error: ${error.message}\nThis is a bug in create-backend; nothing was written. Please report it with --verbose output.\n${details}`);
    } else {
      write(`${error.message}\n${details}`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`Unexpected error: ${message}\nRun again with --verbose for details.\n${details}`);
  return 70;
}

/**
 * With `--json` a script reads stdout, so the error goes there as one object
 * (`{"error": {"message", "hint"?, "exitCode"}}`) instead of a paragraph on stderr.
 */
function reportErrorAsJson(error: unknown, write: (text: string) => void): number {
  const known = isCreateBackendError(error);
  const exitCode = known ? error.exitCode : 70;
  const message = error instanceof Error ? error.message : String(error);
  const hint = known && error.kind === 'user' ? (error as UserError).hint : undefined;
  write(`${JSON.stringify({ error: { message, ...(hint ? { hint } : {}), exitCode } }, null, 2)}\n`);
  return exitCode;
}
