import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackId } from '../../src/answers/questions.js';
import type { Mutant } from './mutants/mutant.js';
import type { Project } from './project.js';

/** Arguments that stop each stack's test runner at the first failure: a killed mutant costs seconds. */
const FAIL_FAST: Record<StackId, string> = {
  node: ' -- --bail=1',
  django: ' -x -q',
  flask: ' -x -q',
  php: ' -- --stop-on-failure',
};

export interface MutationReport {
  total: number;
  killed: number;
  /** Names of the mutants the project's own tests did not notice. */
  survivors: string[];
}

/** The stack's planted mutants (`test/e2e/mutants/<stack>.ts`). */
export async function loadMutants(stack: StackId): Promise<Mutant[]> {
  const module = (await import(`./mutants/${stack}.ts`)) as { mutants: Mutant[] };
  return module.mutants;
}

/**
 * Plants each mutant in turn and runs the project's own `test` command; a mutant is killed when
 * that command fails. Every file is restored, whatever happens. A mutant whose text no longer
 * occurs exactly once throws: a stale mutant must not pass as killed.
 */
export async function runMutants(project: Project, stack: StackId, mutants: readonly Mutant[], env: Record<string, string> = {}): Promise<MutationReport> {
  const survivors: string[] = [];
  for (const mutant of mutants) {
    const path = join(project.dir, mutant.file);
    const original = await readFile(path, 'utf8');
    const occurrences = original.split(mutant.find).length - 1;
    if (occurrences !== 1) throw new Error(`mutant "${mutant.name}": ${mutant.file} holds its text ${occurrences} times, expected once:\n${mutant.find}`);
    await writeFile(path, original.replace(mutant.find, () => mutant.replace));
    try {
      const result = await execa(project.manifest.commands.test + FAIL_FAST[stack], {
        cwd: project.dir,
        shell: true,
        env: { ...project.env, ...env },
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 600_000,
      });
      if (result.exitCode === 0) survivors.push(mutant.name);
    } finally {
      await writeFile(path, original);
    }
  }
  return { total: mutants.length, killed: mutants.length - survivors.length, survivors };
}
