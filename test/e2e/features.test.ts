import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/stacks.js';
import { runCli } from '../helpers/cli.js';
import { GIT_ENV } from '../helpers/project-tree.js';
import { CODE_FILE } from '../helpers/user-edits.js';
import { commandEnv, loadProject, redisTestEnv, runProjectCommand, TESTS_PASSED } from './project.js';
import { missingTool, stackToolchain } from './toolchain.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/**
 * A project that starts with CI only, is edited, gains docker, is edited again, gains backup:
 * every edit survives, the features' files appear, and the project's own lint and tests pass.
 */
describe.each(Object.values(STACKS).filter((s) => !s.unavailable).map((s) => s.id))('features added one by one to a %s project', (stack) => {
  it('keeps every edit, adds each feature, and still passes its own lint and tests', { timeout: 900_000 }, async ({ skip }) => {
    const toolchain = await stackToolchain(stack);
    if ('missing' in toolchain) return missingTool(`${stack}: ${toolchain.missing}`, skip);
    const root = await mkdtemp(join(tmpdir(), `cb-features-${stack}-`));
    roots.push(root);
    const dir = join(root, `features-${stack}`);
    const cli = (args: string[]) => runCli(args, { env: { CI: '', ...GIT_ENV }, cwd: root });
    const created = await cli([dir, '--stack', stack, '--features', 'ci', '--yes', '--no-install']);
    expect(created.exitCode, String(created.stderr)).toBe(0);
    const [codeFile, comment] = CODE_FILE[stack];
    const edit = async (tag: string): Promise<void> => {
      await appendFile(join(dir, 'README.md'), `\nOn-call rota: see the wiki (${tag}).\n`);
      await appendFile(join(dir, '.env.example'), `\n# Our own setting (${tag})\nTEAM_SETTING_${tag.toUpperCase()}=1\n`);
      // Where each formatter accepts a lone comment line: at the top of a Python module (above its
      // docstring), at the end elsewhere.
      const line = `${comment} Reviewed by the platform team (${tag}).\n`;
      if (comment === '#') await writeFile(join(dir, codeFile), line + (await readFile(join(dir, codeFile), 'utf8')));
      else await appendFile(join(dir, codeFile), line);
    };
    await edit('one');
    const docker = await cli(['add', 'docker', '--dir', dir]);
    expect(docker.exitCode, String(docker.stderr)).toBe(0);
    await edit('two');
    const backup = await cli(['add', 'backup', '--dir', dir]);
    expect(backup.exitCode, String(backup.stderr)).toBe(0);
    for (const file of ['Dockerfile', 'compose.yaml', '.dockerignore', 'ops/backup/backup.sh', '.github/workflows/ci.yml']) {
      expect((await readFile(join(dir, file), 'utf8')).length, file).toBeGreaterThan(0);
    }
    expect(await readFile(join(dir, 'compose.yaml'), 'utf8')).toMatch(/^ {2}backup:/m);
    for (const tag of ['one', 'two']) {
      expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain(`On-call rota: see the wiki (${tag}).`);
      expect(await readFile(join(dir, '.env.example'), 'utf8')).toContain(`TEAM_SETTING_${tag.toUpperCase()}=1`);
      expect(await readFile(join(dir, codeFile), 'utf8')).toContain(`Reviewed by the platform team (${tag}).`);
    }
    const again = await cli(['add', 'docker', '--dir', dir, '--json']);
    expect(again.exitCode).toBe(0);
    const statuses = (JSON.parse(String(again.stdout)) as { files: { status: string }[] }).files.map((f) => f.status);
    expect(statuses.filter((s) => s !== 'identical' && s !== 'kept')).toEqual([]);

    const project = await loadProject(dir, commandEnv(toolchain.path, (toolchain as { env?: Record<string, string> }).env ?? {}));
    await runProjectCommand(project, project.manifest.commands.install);
    if (project.manifest.commands.build) await runProjectCommand(project, project.manifest.commands.build);
    if (project.manifest.commands.lint) await runProjectCommand(project, project.manifest.commands.lint);
    const output = await runProjectCommand(project, project.manifest.commands.test, await redisTestEnv());
    expect(output).toMatch(TESTS_PASSED);
    expect(output).not.toMatch(/\b[1-9]\d* failed/i);
  });
});
