import type { PlannedFile } from '../engine/plan.js';
import { countStatuses } from '../project/apply.js';
import type { Recommendation } from '../recommend/recommend.js';
import { STACKS, type ProjectCommands } from '../stacks/stacks.js';

/** Human-readable ranking: every stack with its score, then the winner's reasons and considerations. */
export function formatRecommendation(rec: Recommendation): string {
  const lines = ['Recommended stack:', ''];
  rec.ranking.forEach((r, i) => {
    const note = STACKS[r.stack].unavailable ? '  (not available in this version)' : '';
    lines.push(`  ${i + 1}. ${r.stack.padEnd(7)} score ${String(r.score).padStart(3)}  ${STACKS[r.stack].label}${note}`);
  });
  const { winner } = rec;
  lines.push('', `Why ${winner.stack}:`);
  for (const reason of winner.reasons.slice(0, 4)) lines.push(`  + ${reason}`);
  if (winner.reasons.length === 0) lines.push('  + No answer favours any stack strongly; this is the default order.');
  lines.push('', 'Considerations:');
  for (const c of winner.considerations) lines.push(`  - ${c}`);
  return `${lines.join('\n')}\n`;
}

/**
 * One line for a stack the user chose: the full ranking is for those who ask for advice, but a
 * better fit is still worth a mention.
 */
export function formatChoice(chosen: string, rec: Recommendation): string {
  const best = rec.ranking.find((r) => !STACKS[r.stack].unavailable)?.stack;
  return best === undefined || best === chosen ? `You chose ${chosen}, which your answers also recommend.\n` : `You chose ${chosen}; the answers would also fit ${best}.\n`;
}

/** One line for the stack picked for the user without a terminal (`--yes`): the winner and its first reason. */
export function formatPick(picked: string, rec: Recommendation): string {
  const reason = rec.ranking.find((r) => r.stack === picked)?.reasons[0];
  return `Chose ${picked}, the best fit for your answers${reason ? `: ${reason.replace(/\.$/, '')}` : ''}. (\`create-backend recommend\` shows the ranking.)\n`;
}

/**
 * The change list: one line per file that changes or needs attention (identical files, and the
 * files of a new project, are only counted), conflicts with their line ranges, then a summary.
 */
export function formatPlan(plan: readonly PlannedFile[], listCreated = true): string {
  // After writing a new project (all `create`), the count says it; a listing would only scroll the next steps away.
  const onlyCreated = !listCreated && plan.every((f) => f.status === 'create');
  const lines = plan
    .filter((f) => f.status !== 'identical' && !onlyCreated)
    .map((f) => {
      const ranges = f.conflicts?.length ? `  (lines ${f.conflicts.map((r) => `${r.start}-${r.end}`).join(', ')})` : '';
      return `  ${f.status.padEnd(9)} ${f.path}${ranges}${f.note ? `  — ${f.note}` : ''}`;
    });
  const summary = Object.entries(countStatuses(plan))
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return `${[...lines, `  ${summary}`].join('\n')}\n`;
}

/** What to run after a change to an existing project: dependencies, build, schema, tests. */
export function stepsAfterChange(commands: ProjectCommands): string[] {
  return [commands.install, ...(commands.build ? [commands.build] : []), commands.migrate, commands.test];
}

/** What to run next in the new project. */
export function nextSteps(dir: string, commands: ProjectCommands, installed: boolean): string[] {
  const steps = [`cd ${dir}`];
  if (!installed) steps.push(commands.install);
  if (commands.build) steps.push(commands.build);
  steps.push(commands.test, commands.migrate, commands.start);
  return steps;
}
