/**
 * Synchronous clean-up actions to run if the process is interrupted (Ctrl-C, SIGTERM) while
 * something is half done on disk. The CLI's signal handler calls {@link runCleanups}.
 */
const actions = new Set<() => void>();

/** Registers an action; returns the function that unregisters it once the work is complete. */
export function onInterrupt(action: () => void): () => void {
  actions.add(action);
  return () => actions.delete(action);
}

/** Runs and forgets every registered action; never throws. */
export function runCleanups(): void {
  for (const action of [...actions]) {
    actions.delete(action);
    try {
      action();
    } catch {
      // Best effort: an interrupted process must still exit.
    }
  }
}
