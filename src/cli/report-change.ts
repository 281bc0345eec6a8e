import { conflictsOf, countStatuses, planJson, type PlannedChange } from '../project/apply.js';
import { formatPlan } from './format.js';

/** Where a command's output goes. */
export interface Output {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit code when the change was written but conflict markers remain to resolve (like `git merge`). */
export const EXIT_CONFLICTS = 2;

/** Exit code when the project was written but not installed: its toolchain is missing or too old. */
export const EXIT_TOOLCHAIN = 3;

/**
 * Prints a planned or written change — the file list on stderr, or the whole report as JSON on
 * stdout — and returns the exit code: 0, or 2 when conflicts remain in the written files.
 */
export function reportChange(
  change: PlannedChange,
  options: {
    readonly command: string;
    readonly dryRun: boolean;
    readonly json: boolean;
    readonly headline: string;
    readonly nextSteps: readonly string[];
    /** What the user must do by hand before the next steps (e.g. to a database). */
    readonly notices?: readonly string[];
    readonly extra?: Record<string, unknown>;
  },
  out: Output,
): number {
  const conflicts = conflictsOf(change.plan);
  if (options.json) {
    out.stdout(
      `${JSON.stringify(
        {
          command: options.command,
          directory: change.dir,
          dryRun: options.dryRun,
          ...options.extra,
          summary: countStatuses(change.plan),
          files: planJson(change.plan),
          conflicts: conflicts.map((f) => f.path),
          nextSteps: options.nextSteps,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    // A dry run's list is its result (stdout); after a write it is a progress report (stderr),
    // left out for a new project, whose headline already counts its files.
    const fresh = change.plan.every((f) => f.status === 'create');
    if (options.dryRun) out.stdout(`${options.headline}\n${formatPlan(change.plan)}`);
    else if (!fresh) out.stderr(`${options.headline}\n${formatPlan(change.plan, false)}`);
    if (conflicts.length > 0) {
      out.stderr(
        `\n${conflicts.length} file(s) ${options.dryRun ? 'would have' : 'have'} conflicts: both you and the template changed the same lines.\n` +
          (options.dryRun ? '' : 'Both versions are kept between <<<<<<< and >>>>>>> markers; edit each file to keep what you want, then remove the markers.\n'),
      );
    }
    if (options.notices?.length) out.stderr(`\nBefore the next steps:\n${options.notices.map((n) => `  - ${n}`).join('\n')}\n`);
    if (options.nextSteps.length > 0) out.stdout(`\nNext steps:\n${options.nextSteps.map((s) => `  ${s}`).join('\n')}\n`);
  }
  return conflicts.length > 0 && !options.dryRun ? EXIT_CONFLICTS : 0;
}
