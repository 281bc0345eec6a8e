import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../../contract/suite.js';
import type { StackId } from '../../src/answers/questions.js';
import { runCli } from '../helpers/cli.js';
import { buildNextVersion, NEXT_DOCKERFILE_LINE } from '../helpers/next-version.js';
import { git, GIT_ENV } from '../helpers/project-tree.js';
import { editProject, resolveTakingOurs } from '../helpers/user-edits.js';
import { createDatabase, dropDatabase, postgresAvailable, psql } from './database.js';
import { backupRoundTrip } from './backup-roundtrip.js';
import { checkCompose, checkDockerfile, lintDockerfile } from './docker-checks.js';
import { commandEnv, expectRefusal, loadProject, PLAIN_HTTP_ENV, PRODUCTION_ENV, readDotEnv, redisTestEnv, runProjectCommand, startServer, TESTS_PASSED, type Project } from './project.js';
import { hasCommand, missingTool, stackToolchain } from './toolchain.js';
import { loadMutants, runMutants } from './mutation-run.js';
import { runWorkflowLocally } from './workflow-steps.js';
import { gracefulShutdown, sharedLimitsAcrossInstances } from './scale-out.js';

const PLACEHOLDER = 'change-me-to-a-random-string-of-at-least-32-bytes';
/** The resource every end-to-end project generates besides notes. */
const TASK_FIELDS = 'title:string(40),done:boolean,due:date?';
/** The CLI runs as a user's would: no CI flag, a git identity, no global git configuration. */
const CLI_ENV = { CI: '', ...GIT_ENV };
const ALLOWED_ORIGIN = 'https://app.example.test';

/** Checks of a stack's own tooling that the end-to-end run also proves. */
const STACK_CHECKS: Partial<Record<StackId, { title: string; command: string; production: boolean }[]>> = {
  django: [
    // With the real production settings (HTTPS redirect on): no warning at all may remain.
    { title: 'manage.py check --deploy --fail-level WARNING', command: '.venv/bin/python manage.py check --deploy --fail-level WARNING', production: true },
    { title: 'migrations match the models', command: '.venv/bin/python manage.py makemigrations --check --dry-run', production: false },
  ],
};

/** Secrets each stack must refuse as placeholders in production, besides JWT_SECRET. */
const EXTRA_SECRETS: Partial<Record<StackId, string[]>> = { django: ['DJANGO_SECRET_KEY'] };

/**
 * The end-to-end proof for one stack and database: generate with the built CLI, install, run the
 * project's own tests, start it in production mode, run the black-box contract suite against it,
 * check its Docker files, and check that placeholder secrets stop the production boot.
 */
export function defineStackE2E(stack: StackId, db: 'sqlite' | 'postgres'): void {
  describe(`${stack} on ${db}`, { timeout: 900_000 }, () => {
    let root: string;
    let project: Project;
    let toolchainMissing: string | undefined;
    const databases: string[] = [];
    let runtimeEnv: Record<string, string>;
    let sqliteFile: string | undefined;

    beforeAll(async () => {
      const toolchain = await stackToolchain(stack);
      if ('missing' in toolchain) {
        toolchainMissing = toolchain.missing;
        return;
      }
      if (db === 'postgres' && !(await postgresAvailable())) {
        toolchainMissing = 'PostgreSQL is not reachable on 127.0.0.1:5432';
        return;
      }
      root = await mkdtemp(join(tmpdir(), `cb-e2e-${stack}-${db}-`));
      const dir = join(root, `e2e-${stack}`);
      // With git, as users get it: the first commit and the recorded base that `update` needs.
      // Node on PostgreSQL is also the realtime project: the event stream joins its tests and the contract.
      const workload = stack === 'node' && db === 'postgres' ? ['--workload', 'realtime'] : [];
      // The CLI sees the same PATH as the project's commands: a Python project then records uv.
      const cliEnv = { ...CLI_ENV, PATH: commandEnv(toolchain.path).PATH! };
      const generated = await runCli([dir, '--stack', stack, '--db', db, ...workload, '--yes', '--no-install', '--json'], { env: cliEnv });
      if (generated.exitCode !== 0) throw new Error(`generation failed:\n${String(generated.stderr)}`);
      // A second resource next to notes, as a user adds one; its tests join the project's own suite.
      const resource = await runCli(['generate', 'resource', 'Task', '--fields', TASK_FIELDS, '--json'], { env: cliEnv, cwd: dir });
      if (resource.exitCode !== 0) throw new Error(`generate resource failed:\n${String(resource.stderr)}`);
      await git(['add', '--all'], dir);
      await git(['commit', '-qm', 'Add the Task resource'], dir);
      const dotenv = await readDotEnv(join(dir, '.env'));
      project = await loadProject(dir, commandEnv(toolchain.path));
      sqliteFile = join(root, 'data', 'app.db');
      const appDb = db === 'postgres' ? await createDatabase(`cb_e2e_${stack}`) : undefined;
      if (appDb) databases.push(appDb.name);
      runtimeEnv = {
        ...dotenv,
        APP_ENV: 'production',
        OPENAPI_ENABLED: 'true',
        CORS_ORIGINS: ALLOWED_ORIGIN,
        DATABASE_URL: appDb ? appDb.url : `sqlite:///${sqliteFile}`,
        ...PRODUCTION_ENV[stack],
        ...PLAIN_HTTP_ENV[stack],
      };
    }, 600_000);

    afterAll(async () => {
      for (const name of databases) await dropDatabase(name).catch(() => undefined);
      if (root) await rm(root, { recursive: true, force: true });
    });

    const needsToolchain = (skip: (note?: string) => void): void => {
      if (toolchainMissing) missingTool(`${stack}: ${toolchainMissing}`, skip);
    };

    it('generates a project whose manifest declares its commands', ({ skip }) => {
      needsToolchain(skip);
      expect(project.manifest.stack).toBe(stack);
      expect(project.manifest.answers.db).toBe(db);
      for (const key of ['install', 'test', 'migrate', 'start'] as const) expect(project.manifest.commands[key]).toBeTruthy();
      // uv is on PATH here, so a Python project installs from its lock and runs its tools with uv.
      if (stack === 'django' || stack === 'flask') {
        expect(project.manifest.commands).toMatchObject({ install: 'uv sync --locked', test: 'uv run pytest' });
      }
    });

    // Once per stack (on SQLite, so it is not even listed for PostgreSQL): the project was
    // generated with --no-install, as a first push would be.
    if (db === 'sqlite')
      it('runs its CI workflow’s install, lint and test steps from a --no-install project', async ({ skip }) => {
      needsToolchain(skip);
      const ran = await runWorkflowLocally(project);
      console.log(`workflow steps ${stack}: ${ran.join(' | ')}`);
      expect(ran.some((step) => /install|uv sync/i.test(step)), "an install step ran").toBe(true);
      expect(ran.some((step) => /pytest|npm test|composer test/.test(step) || /Test/.test(step))).toBe(true);
    });

    it('installs from the package registry and passes lint', async ({ skip }) => {
      needsToolchain(skip);
      await runProjectCommand(project, project.manifest.commands.install);
      if (project.manifest.commands.build) await runProjectCommand(project, project.manifest.commands.build);
      if (project.manifest.commands.lint) await runProjectCommand(project, project.manifest.commands.lint);
    });

    it(`passes its own test suite on ${db}`, async ({ skip }) => {
      needsToolchain(skip);
      const env: Record<string, string> = { ...(await redisTestEnv()) };
      if (db === 'postgres') {
        const testDb = await createDatabase(`cb_e2e_${stack}_test`);
        databases.push(testDb.name);
        env.TEST_DATABASE_URL = testDb.url;
      }
      const output = await runProjectCommand(project, project.manifest.commands.test, env);
      expect(output).toMatch(TESTS_PASSED);
      expect(output).not.toMatch(/\b[1-9]\d* failed/i);
    });

    // Once per stack: the database does not change what the mutants break.
    if (db === 'sqlite')
      it('kills every planted mutant with its own test command', { timeout: 1_800_000 }, async ({ skip, signal }) => {
      needsToolchain(skip);
      const mutants = await loadMutants(stack);
      const report = await runMutants(project, stack, mutants, await redisTestEnv(), signal);
      console.log(`mutants ${stack}: ${report.killed}/${report.total} killed`);
      for (const { name, killedBy } of report.unnamedKillers) console.log(`mutant ${stack} "${name}": killed by ${killedBy}, not by its named tests`);
      expect(report.total).toBeGreaterThanOrEqual(16);
      expect(report.survivors, 'mutants the project\'s own tests did not notice').toEqual([]);
    });

    it(`backs up while a writer is active, restores after a wipe, and gives back identical data on ${db}`, async ({ skip }) => {
      needsToolchain(skip);
      if (!(await hasCommand(db === 'sqlite' ? 'sqlite3' : 'pg_dump'))) return missingTool(`${db} client tools are needed by ops/backup`, skip);
      await runProjectCommand(project, project.manifest.commands.migrate, runtimeEnv);
      await backupRoundTrip(project, runtimeEnv, db, sqliteFile!, join(root, 'backups'));
    });

    it('migrates, starts in production mode and passes the contract suite', async ({ skip }) => {
      needsToolchain(skip);
      await runProjectCommand(project, project.manifest.commands.migrate, runtimeEnv);
      // Migrations are idempotent.
      await runProjectCommand(project, project.manifest.commands.migrate, runtimeEnv);
      const server = await startServer(project, runtimeEnv);
      const lines: string[] = [];
      let report;
      try {
        report = await runContract({
          baseUrl: server.baseUrl,
          jwtSecret: runtimeEnv.JWT_SECRET,
          allowedOrigin: ALLOWED_ORIGIN,
          production: true,
          // The project's own document: the Task resource gets checks derived from it.
          specFile: join(project.dir, 'openapi.json'),
          breakDatabase: async () => {
            if (db === 'postgres') await psql(new URL(runtimeEnv.DATABASE_URL!).pathname.slice(1), 'SET lock_timeout = 5000; DROP TABLE notes CASCADE');
            else await execa('python3', ['-c', 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DROP TABLE notes"); c.commit()', sqliteFile!]);
          },
          log: (line) => lines.push(line),
        });
      } finally {
        const code = await server.stop();
        expect(code, `server stops cleanly on SIGTERM\n${server.output().slice(-3000)}`).toBe(0);
      }
      console.log(`contract ${stack}/${db}: ${report.passed} passed, ${report.failed} failed`);
      expect(lines.filter((l) => l.startsWith('FAIL')), server.output().slice(-3000)).toEqual([]);
      expect(report.passed).toBeGreaterThan(40);
      expect(lines.filter((l) => l.startsWith('ok   tasks: ')).length, 'checks derived for /api/v1/tasks').toBe(5);
    });

    // On PostgreSQL, the database instances can share: the proof of running more than one.
    if (db === 'postgres') {
      it('shares every login limit between two instances through Redis, and ignores spoofed forwarding', async ({ skip }) => {
        needsToolchain(skip);
        if (!(await hasCommand('redis-server'))) return missingTool('redis-server is needed to share limits between instances', skip);
        await runProjectCommand(project, project.manifest.commands.migrate, runtimeEnv);
        await sharedLimitsAcrossInstances({ project, env: runtimeEnv });
      });

      it('finishes in-flight requests on SIGTERM and exits 0, also when stopped during start-up', async ({ skip }) => {
        needsToolchain(skip);
        await runProjectCommand(project, project.manifest.commands.migrate, runtimeEnv);
        await gracefulShutdown({ project, env: runtimeEnv });
      });
    }

    for (const check of STACK_CHECKS[stack] ?? []) {
      it(`passes ${check.title}`, async ({ skip }) => {
        needsToolchain(skip);
        const env: Record<string, string> = check.production ? { ...runtimeEnv } : {};
        for (const key of Object.keys(PLAIN_HTTP_ENV[stack] ?? {})) delete env[key];
        await runProjectCommand(project, check.command, env);
      });
    }

    it('refuses to boot in production with a placeholder or short secret, naming it', async ({ skip }) => {
      needsToolchain(skip);
      for (const name of ['JWT_SECRET', ...(EXTRA_SECRETS[stack] ?? [])]) {
        for (const value of [PLACEHOLDER, 'short']) {
          const refused = await expectRefusal(project, project.manifest.commands.start, { ...runtimeEnv, [name]: value, PORT: '1' });
          expect(refused.exitCode, `${name}=${value} must stop the boot`).not.toBe(0);
          expect(refused.exitCode).toBeDefined();
          expect(refused.output).toContain(name);
        }
      }
    });

    it('ships a Dockerfile and compose file that pass static checks', async ({ skip }) => {
      needsToolchain(skip);
      if (!(await hasCommand('docker-compose'))) return missingTool('docker-compose (apt) is needed to validate compose.yaml offline', skip);
      await checkDockerfile(project.dir);
      await lintDockerfile(project.dir);
      await checkCompose(project.dir);
    });

    if (db === 'sqlite') {
      // Last: it changes the project. Edits, commit, update to a next build, resolve, own tests.
      it('updates to the next generator version keeping every edit, and passes its own tests after the conflict is resolved', async ({ skip }) => {
        needsToolchain(skip);
        const next = await buildNextVersion();
        try {
          const edits = await editProject(project.dir, stack);
          await git(['add', '--all'], project.dir);
          await git(['commit', '-qm', 'Our edits'], project.dir);
          const update = await execa('node', [next.cli, 'update', '--json'], { cwd: project.dir, reject: false, env: { ...process.env, ...CLI_ENV } });
          expect(update.exitCode, String(update.stderr)).toBe(2);
          expect(JSON.parse(String(update.stdout)).conflicts).toEqual(['README.md']);
          expect(await readFile(join(project.dir, 'Dockerfile'), 'utf8')).toContain(NEXT_DOCKERFILE_LINE);
          expect(await readFile(join(project.dir, edits.codeFile), 'utf8')).toContain(edits.codeLine);
          await resolveTakingOurs(join(project.dir, 'README.md'));
          await runProjectCommand(project, project.manifest.commands.install);
          if (project.manifest.commands.build) await runProjectCommand(project, project.manifest.commands.build);
          const output = await runProjectCommand(project, project.manifest.commands.test);
          expect(output).toMatch(TESTS_PASSED);
          expect(output).not.toMatch(/\b[1-9]\d* failed/i);
          await git(['add', '--all'], project.dir);
          await git(['commit', '-qm', 'Update create-backend'], project.dir);
          const again = await execa('node', [next.cli, 'update'], { cwd: project.dir, reject: false, env: { ...process.env, ...CLI_ENV } });
          expect(again.exitCode, String(again.stderr)).toBe(0);
          expect(String(again.stderr)).toContain('up to date');
        } finally {
          await next.dispose();
        }
      });
    }
  });
}
