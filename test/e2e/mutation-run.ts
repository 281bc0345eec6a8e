import { execa, type Result } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
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

/** pytest's summary line of a failed or erroring test file (both Python stacks). */
const PYTEST_FAILURE = /(?:FAILED|ERROR) (tests\/\S+?\.py)/;

/** Where each runner names the file of a failing test, so a report can say which test killed a mutant. */
const FAILING_FILE: Record<StackId, RegExp> = {
  node: /FAIL\s+(test\/\S+\.test\.ts)/,
  django: PYTEST_FAILURE,
  flask: PYTEST_FAILURE,
  php: /\/(tests\/\S+Test\.php):\d+/,
};

export interface MutationReport {
  total: number;
  killed: number;
  /** Names of the mutants the project's own tests did not notice. */
  survivors: string[];
  /**
   * Mutants whose named `tests` did not kill them (or that name none), with the test file that
   * did: their `tests` should name it, or each run pays for the whole suite.
   */
  unnamedKillers: { name: string; killedBy: string }[];
}

/** The stack's planted mutants (`test/e2e/mutants/<stack>.ts`). */
export async function loadMutants(stack: StackId): Promise<Mutant[]> {
  const module = (await import(`./mutants/${stack}.ts`)) as { mutants: Mutant[] };
  return module.mutants;
}

/**
 * Plants each mutant in turn and runs the project's own `test` command; a mutant is killed when
 * that command fails. The mutant's named `tests` run first and alone: when they fail, the
 * mutant is killed without the rest of the suite; when they pass, the whole suite decides. So a
 * stale name costs time, never a verdict. Every file is restored, whatever happens, and an
 * aborted `signal` (the test's timeout) stops the run: a loop that outlived its test would
 * keep changing a project that later tests use.
 *
 * A mutant whose text no longer occurs exactly once throws: a stale mutant must not pass as killed.
 */
export async function runMutants(project: Project, stack: StackId, mutants: readonly Mutant[], env: Record<string, string> = {}, signal?: AbortSignal): Promise<MutationReport> {
  const survivors: string[] = [];
  const unnamedKillers: MutationReport['unnamedKillers'] = [];
  const run = async (args: string) => {
    const result = await execa(project.manifest.commands.test + FAIL_FAST[stack] + args, {
      cwd: project.dir,
      shell: true,
      env: { ...project.env, ...env },
      extendEnv: false,
      all: true,
      reject: false,
      stdin: 'ignore',
      timeout: 600_000,
      ...(signal ? { cancelSignal: signal } : {}),
    });
    signal?.throwIfAborted();
    return result;
  };
  // A kill is a failing test, not a command that could not run: a missing toolchain would
  // otherwise kill every mutant.
  const killer = (mutant: Mutant, result: Result): string | undefined => {
    if (result.exitCode === 0) return undefined;
    const file = FAILING_FILE[stack].exec(stripVTControlCharacters(String(result.all)))?.[1];
    if (!file) throw new Error(`mutant "${mutant.name}": the test command exited ${result.exitCode ?? result.signal} without naming a failing test:\n${String(result.all).slice(-3000)}`);
    return file;
  };
  for (const mutant of mutants) {
    signal?.throwIfAborted();
    const path = join(project.dir, mutant.file);
    const original = await readFile(path, 'utf8');
    const occurrences = original.split(mutant.find).length - 1;
    if (occurrences !== 1) throw new Error(`mutant "${mutant.name}": ${mutant.file} holds its text ${occurrences} times, expected once:\n${mutant.find}`);
    await writeFile(path, original.replace(mutant.find, () => mutant.replace));
    try {
      if (mutant.tests && killer(mutant, await run(` ${mutant.tests.join(' ')}`))) continue;
      const killedBy = killer(mutant, await run(''));
      if (!killedBy) survivors.push(mutant.name);
      else if (!mutant.tests?.includes(killedBy)) unnamedKillers.push({ name: mutant.name, killedBy });
    } finally {
      await writeFile(path, original);
    }
  }
  return { total: mutants.length, killed: mutants.length - survivors.length, survivors, unnamedKillers };
}
