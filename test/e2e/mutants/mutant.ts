/**
 * A hand-planted fault: one of the usual mistakes a maintainer could make in a generated
 * project. The project's own `test` command must fail with it in place ("killed").
 */
export interface Mutant {
  /** The mistake, as a reviewer would name it ("list forgets the owner filter"). */
  name: string;
  /** File in a generated project (notes and the Task resource, SQLite, every feature), relative to its root. */
  file: string;
  /** Exact text to replace; it must occur exactly once in the file, so a stale mutant fails loudly. */
  find: string;
  /** What the mistake looks like. */
  replace: string;
  /**
   * The test files that catch it, run first and alone (the runner's fail-fast arguments, then
   * these paths): a kill then costs one file, not the suite up to it. If they pass, the whole
   * suite still runs, so a stale name costs time, never a verdict.
   */
  tests?: readonly string[];
}
