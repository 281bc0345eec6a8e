import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readDotEnv, runProjectCommand, type Project } from './project.js';

interface WorkflowStep {
  readonly name?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}

/**
 * Why a step cannot run here: it needs GitHub's context, the PostgreSQL service or root, or it
 * sets up the runner (`corepack enable` writes shims next to the runner's node; the test's PATH
 * has the package manager already).
 */
function needsGitHub(step: WorkflowStep): boolean {
  const values = [step.run ?? '', ...Object.values(step.env ?? {}).map(String)];
  return step.run?.trim() === 'corepack enable' || values.some((v) => v.includes('${{') || /postgres(ql)?:\/\//.test(v) || /^\s*sudo\s/m.test(v));
}

/**
 * Runs the `run` steps of the project's CI workflow, job by job, as a runner would on the SQLite
 * leg: job-level environment (the matrix's database choice) left out, each step's own environment
 * applied, and what a step appends to `$GITHUB_ENV` passed to the later ones. Steps that need
 * GitHub's context, the PostgreSQL service or root are skipped, and a command already run by an
 * earlier job is not run again. Returns the steps it ran; throws with the output of a failing one.
 */
export async function runWorkflowLocally(project: Project): Promise<string[]> {
  const workflow = parse(await readFile(join(project.dir, '.github', 'workflows', 'ci.yml'), 'utf8')) as { jobs: Record<string, { steps: WorkflowStep[] }> };
  const scratch = await mkdtemp(join(tmpdir(), 'cb-workflow-'));
  const githubEnv = join(scratch, 'github-env');
  await writeFile(githubEnv, '');
  const ran: string[] = [];
  const seen = new Set<string>();
  try {
    for (const [job, { steps }] of Object.entries(workflow.jobs)) {
      // The container checks need a Docker client and install hadolint globally; the end-to-end
      // run checks the same files with its own hadolint and compose validation.
      if (job === 'docker' || job === 'dockerfile') continue;
      for (const step of steps) {
        if (!step.run || needsGitHub(step) || seen.has(step.run)) continue;
        seen.add(step.run);
        const carried = await readDotEnv(githubEnv);
        await runProjectCommand(project, step.run, { ...carried, ...(step.env ?? {}), GITHUB_ENV: githubEnv, CI: 'true' });
        ran.push(`${job}: ${step.name ?? step.run}`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return ran;
}
