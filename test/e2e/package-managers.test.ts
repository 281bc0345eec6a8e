import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { commandEnv, loadProject } from './project.js';
import { missingTool, NODE24_BIN, PACKAGE_MANAGERS_BIN } from './toolchain.js';
import { runWorkflowLocally } from './workflow-steps.js';

const root = await mkdtemp(join(tmpdir(), 'cb-pm-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** The lockfile each package manager writes. */
const LOCKFILES = { pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock', bun: 'bun.lock' } as const;

describe('a Node project made with another package manager', { timeout: 600_000 }, () => {
  it.for(Object.keys(LOCKFILES) as (keyof typeof LOCKFILES)[])('%s create: the project, its commands and its CI use it, and the CI steps pass from a --no-install project', async (pm, { skip }) => {
    if (!existsSync(join(PACKAGE_MANAGERS_BIN, pm)) || !existsSync(join(NODE24_BIN, 'node'))) return missingTool(`${pm} and Node 24 come from scripts/setup-test-tools.sh`, skip);
    const dir = join(root, `made-with-${pm}`);
    // What `pnpm create backend-stack` (or yarn, bun) sets for the package it runs.
    const made = await runCli([dir, '--stack', 'node', '--db', 'sqlite', '--features', 'ci', '--yes', '--no-install', '--no-git'], { env: { CI: '', npm_config_user_agent: `${pm}/1.0.0 npm/? node/v24.0.0 linux x64` } });
    expect(made.exitCode, String(made.stderr)).toBe(0);
    const project = await loadProject(dir, commandEnv([NODE24_BIN, PACKAGE_MANAGERS_BIN].join(':')));
    expect(project.manifest.answers['package-manager']).toBe(pm);
    const { start, ...managed } = project.manifest.commands;
    expect(Object.values(managed).every((command) => command.startsWith(`${pm} `))).toBe(true);
    expect(start).toBe('node dist/server.js');
    expect(`${String(made.stdout)}${String(made.stderr)}`, "next steps").toContain(project.manifest.commands.test);
    const workflow = await readFile(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8');
    expect(workflow).not.toMatch(/\bnpm (ci|install|run|test|start)\b/);

    const ran = await runWorkflowLocally(project);
    console.log(`workflow steps ${pm}: ${ran.join(' | ')}`);
    expect(ran.some((step) => /Install/.test(step))).toBe(true);
    expect(ran.some((step) => /Test \(SQLite\)/.test(step))).toBe(true);
    expect(existsSync(join(dir, LOCKFILES[pm])), `${pm} wrote ${LOCKFILES[pm]}`).toBe(true);
    expect(existsSync(join(dir, 'package-lock.json'))).toBe(false);
  });
});
