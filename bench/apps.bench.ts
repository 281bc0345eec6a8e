/**
 * The generated apps under load, side by side: every stack × database, each beside its bare
 * framework (bench/apps/bare.ts) under the same server settings, driven by wrk with the same
 * connections, app and bare interleaved run by run. Ratios to bare, not absolute numbers, are
 * what compare across machines: each round's app run is divided by the bare run beside it, and
 * the table gives the median of those ratios, so a machine whose speed drifts skews neither side.
 *
 *   npm run bench:apps                                   (after npm run build; needs wrk)
 *   npm run bench:apps -- --stacks node,flask --dbs sqlite --seconds 5 --connections 32
 *   npm run bench:apps -- --soak 300                     (constant load: RSS drift, errors, lost writes)
 *   npm run bench:apps -- --overload                     (1,024 connections: shedding, /health, recovery)
 *   npm run bench:apps -- --cli ../old/dist/cli.cjs      (another build's projects, same method)
 *   npm run bench:apps -- --write                        (also writes the table into docs/performance.md)
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { StackId } from '../src/answers/questions.js';
import { createDatabase, dropDatabase } from '../test/e2e/database.js';
import { SourceAddresses } from '../contract/lib/addresses.js';
import { HttpClient, type HttpResponse } from '../contract/lib/http.js';
import { commandEnv, loadProject, plainProductionEnv, readDotEnv, runProjectCommand, startServer, type Project, type RunningServer } from '../test/e2e/project.js';
import { stackToolchain } from '../test/e2e/toolchain.js';
import { bareProject } from './apps/bare.js';
import { groupCpuSeconds, groupRssBytes, watchPeakRss } from './apps/procstat.js';
import { runLogins } from './apps/login-load.js';
import { overload } from './apps/overload.js';
import { runWrk, type LoadRequest, type LoadResult } from './apps/wrk.js';

const ROOT = join(import.meta.dirname, '..');
const MiB = 1024 * 1024;

const { values: options } = parseArgs({
  options: {
    stacks: { type: 'string', default: 'node,django,flask,php' },
    dbs: { type: 'string', default: 'sqlite,postgres' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    soak: { type: 'string' },
    overload: { type: 'boolean', default: false },
    'overload-connections': { type: 'string', default: '1024' },
    'overload-seconds': { type: 'string', default: '10' },
    cli: { type: 'string', default: join(ROOT, 'dist', 'cli.cjs') },
    write: { type: 'boolean', default: false },
  },
});
const STACKS = options.stacks.split(',') as StackId[];
const DBS = options.dbs.split(',') as ('sqlite' | 'postgres')[];
const SECONDS = Number(options.seconds);
const CONNECTIONS = Number(options.connections);
const ROUNDS = Number(options.rounds);
const CLI = options.cli;

/** How production starts a stack when it differs from the manifest's (the Dockerfile's CMD). */
const PRODUCTION_START: Partial<Record<StackId, string>> = { node: 'node dist/server.js' };

/** What the Dockerfile's ENV adds to production's environment (templates/<stack>/docker). */
const IMAGE_ENV: Partial<Record<StackId, Record<string, string>>> = { node: { NODE_OPTIONS: '--max-semi-space-size=4' } };

/** One row of the table. */
interface Row {
  stack: StackId;
  db: string;
  endpoint: string;
  app: LoadResult;
  /** The median over rounds of the app's req/s ÷ the bare server's in the same round. */
  ratio: number;
  cpuMsPerRequest: number;
  peakRssMiB: number;
  lost: number | undefined;
}

interface Session {
  token: string;
  /** Login bodies of users registered from distinct addresses (see seed). */
  logins: string[];
}

/**
 * How many users the login load rotates through. The apps allow 5 logins in flight per
 * (address, email) — reserved before the password check — so 32 connections on one user
 * would measure the throttle, not the login.
 */
const LOGIN_USERS = 64;

/**
 * The body of a successful answer. One connection per request (HttpClient): a pooled
 * keep-alive connection that the server closed while idle would fail the run (ECONNRESET).
 */
function json(res: HttpResponse): Record<string, unknown> {
  if (res.status < 200 || res.status > 299) throw new Error(`${res.method} ${res.path}: ${res.status} ${res.text}`);
  return res.json as Record<string, unknown>;
}

/**
 * Registers the users the login load needs (each from its own loopback address: registrations
 * are limited per address), logs the first in and creates the 20 notes the list returns.
 */
async function seed(baseUrl: string): Promise<Session> {
  const addresses = SourceAddresses.loopback();
  const logins: string[] = [];
  for (let i = 0; i < LOGIN_USERS; i++) {
    const body = { email: `bench-${i}-${randomBytes(6).toString('hex')}@example.com`, password: `Bench-${randomBytes(12).toString('base64url')}` };
    const res = await new HttpClient(baseUrl, { localAddress: addresses.take() }).post('/api/v1/auth/register', { json: body });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
    logins.push(JSON.stringify(body));
  }
  const client = new HttpClient(baseUrl);
  const token = String(json(await client.post('/api/v1/auth/login', { json: JSON.parse(logins[0]!) })).access_token);
  for (let i = 0; i < 20; i++) json(await client.post('/api/v1/notes', { token, json: { title: `note ${i}`, body: 'seed' } }));
  return { token, logins };
}

async function noteCount(baseUrl: string, token: string): Promise<number> {
  return Number(json(await new HttpClient(baseUrl).get('/api/v1/notes?limit=1', { token })).total);
}

function endpoints(session: Session): Record<string, LoadRequest> {
  const auth = { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' };
  return {
    health: { method: 'GET', path: '/health' },
    'list 20': { method: 'GET', path: '/api/v1/notes?limit=20', headers: auth },
    create: { method: 'POST', path: '/api/v1/notes', headers: auth, body: JSON.stringify({ title: 'bench', body: 'written under load' }) },
    login: { method: 'POST', path: '/api/v1/auth/login', headers: { 'Content-Type': 'application/json' }, bodies: session.logins, addressPerConnection: true },
  };
}

/** Generates and installs one project, with its production environment. */
async function prepare(stack: StackId, db: 'sqlite' | 'postgres', root: string): Promise<{ project: Project; env: Record<string, string>; dispose: () => Promise<void> }> {
  const toolchain = await stackToolchain(stack);
  if ('missing' in toolchain) throw new Error(`${stack}: ${toolchain.missing}`);
  const dir = join(root, `bench-${stack}-${db}`);
  const generated = await execa('node', [CLI, dir, '--stack', stack, '--db', db, '--features', 'none', '--yes', '--no-install', '--no-git', '--json'], { reject: false, env: { CI: 'true' } });
  if (generated.exitCode !== 0) throw new Error(`generation failed: ${generated.stderr}`);
  let project = await loadProject(dir, commandEnv(toolchain.path));
  await runProjectCommand(project, project.manifest.commands.install);
  if (project.manifest.commands.build) await runProjectCommand(project, project.manifest.commands.build);
  const database = db === 'postgres' ? await createDatabase(`cb_bench_${stack}`) : undefined;
  const env = {
    ...(await readDotEnv(join(dir, '.env'))),
    APP_ENV: 'production',
    DATABASE_URL: database ? database.url : `sqlite:///${join(root, `${stack}.db`)}`,
    ...plainProductionEnv(stack),
    ...IMAGE_ENV[stack],
  };
  await runProjectCommand(project, project.manifest.commands.migrate, env);
  const start = PRODUCTION_START[stack];
  if (start) project = { ...project, manifest: { ...project.manifest, commands: { ...project.manifest.commands, start } } };
  return { project, env, dispose: async () => (database ? dropDatabase(database.name) : undefined) };
}

/** Starts a server whose output goes to `logFile`, as a container runtime keeps it. */
function startLogged(project: Project, env: Record<string, string>, logFile: string): Promise<RunningServer> {
  return startServer(project, env, undefined, undefined, { logFile });
}

/** One measured wrk run against a server, with its CPU time and peak memory. */
async function measure(server: RunningServer, request: LoadRequest, seconds: number, scriptFile: string): Promise<{ result: LoadResult; cpu: number; peak: number }> {
  const cpuBefore = groupCpuSeconds(server.pid);
  const rss = watchPeakRss(server.pid);
  const load = { connections: CONNECTIONS, seconds };
  const result = request.addressPerConnection ? await runLogins(server.baseUrl, request, load) : await runWrk(server.baseUrl, request, load, scriptFile);
  const peak = rss.stop();
  return { result, cpu: groupCpuSeconds(server.pid) - cpuBefore, peak };
}

async function benchStack(stack: StackId, db: 'sqlite' | 'postgres', root: string): Promise<Row[]> {
  const { project, env, dispose } = await prepare(stack, db, root);
  const app = await startLogged(project, env, join(root, `${stack}-${db}-app.log`));
  const bare = await startLogged(bareProject(project, stack), env, join(root, `${stack}-${db}-bare.log`));
  const scriptFile = join(root, `${stack}-${db}.lua`);
  try {
    const session = await seed(app.baseUrl);
    const rows: Row[] = [];
    for (const [endpoint, request] of Object.entries(endpoints(session))) {
      const appRuns: LoadResult[] = [];
      const bareRuns: LoadResult[] = [];
      let cpu = 0;
      let peak = 0;
      let lost = 0;
      const measureBare = async () => bareRuns.push((await measure(bare, { method: 'GET', path: '/health' }, SECONDS, scriptFile)).result);
      for (let round = 0; round < ROUNDS; round++) {
        // Bare first in even rounds and last in odd ones: a machine whose speed drifts over a
        // round favours neither side.
        if (round % 2 === 0) await measureBare();
        const before = endpoint === 'create' ? await noteCount(app.baseUrl, session.token) : 0;
        const run = await measure(app, request, SECONDS, scriptFile);
        if (endpoint === 'create') {
          // Acknowledged creates that are not in the database afterwards.
          const stored = (await noteCount(app.baseUrl, session.token)) - before;
          lost += Math.max(0, run.result.requests - run.result.errors - stored);
        }
        appRuns.push(run.result);
        cpu += run.cpu / Math.max(1, run.result.requests);
        peak = Math.max(peak, run.peak);
        if (round % 2 === 1) await measureBare();
      }
      const ratio = median(appRuns.map((run, round) => run.perSecond / bareRuns[round]!.perSecond));
      rows.push({ stack, db, endpoint, app: best(appRuns), ratio, cpuMsPerRequest: (cpu / ROUNDS) * 1000, peakRssMiB: peak / MiB, lost: endpoint === 'create' ? lost : undefined });
      const rounds = appRuns.map((run, round) => `${Math.round(run.perSecond)}/${Math.round(bareRuns[round]!.perSecond)}`).join(', ');
      console.error(`  ${stack}/${db} ${endpoint}: × bare ${ratio.toFixed(3)} (app/bare req/s by round: ${rounds})`);
    }
    return rows;
  } finally {
    await app.stop();
    await bare.stop();
    await dispose();
  }
}

/** The middle item by `key` (of an even count, the upper one), so one noisy run does not decide. */
function middle<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median of `values` (the higher middle value of an even count). */
function median(values: number[]): number {
  return middle(values, (value) => value);
}

/** The median run by throughput (the better of two). */
function best(runs: LoadResult[]): LoadResult {
  return middle(runs, (run) => run.perSecond);
}

function table(rows: Row[]): string {
  const header = '| stack | db | endpoint | req/s | p99 ms | × bare | CPU ms/req | peak memory MiB | errors | notes lost |';
  const rule = '|---|---|---|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) =>
    [r.stack, r.db, r.endpoint, Math.round(r.app.perSecond), r.app.p99Ms.toFixed(1), r.ratio.toFixed(2), r.cpuMsPerRequest.toFixed(2), Math.round(r.peakRssMiB), r.app.errors, r.lost ?? '–'].join(' | '),
  );
  return [header, rule, ...lines.map((l) => `| ${l} |`)].join('\n');
}

/** Constant mixed load for `seconds`: memory after warm-up versus at the end, errors, lost writes. */
async function soak(stack: StackId, db: 'sqlite' | 'postgres', root: string, seconds: number): Promise<string> {
  const { project, env, dispose } = await prepare(stack, db, root);
  const app = await startLogged(project, env, join(root, `${stack}-${db}-app.log`));
  const scriptFile = join(root, `${stack}-${db}-soak.lua`);
  try {
    const session = await seed(app.baseUrl);
    // Creates go to a second user: the list's total is counted on every request, so a list of
    // the notes the soak keeps adding would cost more each minute; the same work throughout is
    // what tells a leak from a growing workload.
    const writer = String(json(await new HttpClient(app.baseUrl).post('/api/v1/auth/login', { json: JSON.parse(session.logins[1]!) })).access_token);
    const load: Record<string, LoadRequest> = { ...endpoints(session), create: endpoints({ ...session, token: writer }).create! };
    const chunk = 10;
    /** One turn of the mix: creates, then lists. */
    const turn = async (): Promise<{ errors: number; lost: number }> => {
      const before = await noteCount(app.baseUrl, writer);
      const created = await runWrk(app.baseUrl, load.create!, { connections: CONNECTIONS, seconds: chunk }, scriptFile);
      const lost = Math.max(0, created.requests - created.errors - ((await noteCount(app.baseUrl, writer)) - before));
      const listed = await runWrk(app.baseUrl, load['list 20']!, { connections: CONNECTIONS, seconds: chunk }, scriptFile);
      return { errors: created.errors + listed.errors, lost };
    };
    // The warm-up is a turn of the same mix: memory after it is that of the workload measured
    // (a warm-up of lists alone, which allocate less, set some stacks' baseline lower).
    await turn();
    const warm = groupRssBytes(app.pid);
    let errors = 0;
    let lost = 0;
    for (let elapsed = 0; elapsed < seconds; elapsed += 2 * chunk) {
      const result = await turn();
      errors += result.errors;
      lost += result.lost;
      console.error(`  ${stack}/${db} soak ${elapsed + 2 * chunk} s: RSS ${Math.round(groupRssBytes(app.pid) / MiB)} MiB (after warm-up ${Math.round(warm / MiB)})`);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const end = groupRssBytes(app.pid);
    const drift = (end - warm) / warm;
    return `| ${stack} | ${db} | ${seconds} | ${Math.round(warm / MiB)} | ${Math.round(end / MiB)} | ${(drift * 100).toFixed(1)}% | ${errors} | ${lost} | ${Math.abs(drift) <= 0.2 && errors === 0 && lost === 0 ? 'yes' : 'no'} |`;
  } finally {
    await app.stop();
    await dispose();
  }
}

/** One burst of authenticated lists far beyond capacity: what was shed, /health meanwhile, recovery. */
async function overloadRow(stack: StackId, db: 'sqlite' | 'postgres', root: string): Promise<string> {
  const { project, env, dispose } = await prepare(stack, db, root);
  const app = await startLogged(project, env, join(root, `${stack}-${db}-app.log`));
  try {
    const session = await seed(app.baseUrl);
    const seconds = Number(options['overload-seconds']);
    const run = await overload(app.baseUrl, endpoints(session)['list 20']!, { connections: Number(options['overload-connections']), seconds }, join(root, `${stack}-${db}-overload.lua`));
    const shed = run.burst.counted ?? 0;
    const answered = run.burst.requests - run.burst.errors;
    const ok = run.healthMissed === 0 && shed > 0 && run.recoveryMs <= 2000;
    console.error(`  ${stack}/${db} overload: ${answered} answered 2xx, ${shed} shed, /health ${run.healthProbes - run.healthMissed}/${run.healthProbes}, recovery ${Math.round(run.recoveryMs)} ms`);
    return `| ${stack} | ${db} | ${Math.round(answered / seconds)} | ${shed} | ${run.burst.errors - shed} | ${run.healthProbes - run.healthMissed}/${run.healthProbes} | ${Math.round(run.healthMaxMs)} | ${Math.round(run.recoveryMs)} | ${ok ? 'yes' : 'no'} |`;
  } finally {
    await app.stop();
    await dispose();
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run npm run build first');
  if ((await execa('wrk', ['--version'], { reject: false })).exitCode === null) throw new Error('wrk is needed (Debian: apt install wrk)');
  const root = mkdtempSync(join(tmpdir(), 'cb-bench-apps-'));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, ${process.platform}`;
  try {
    if (options.overload) {
      const lines = [
        '| stack | db | 2xx/s in the burst | shed (503) | other errors | /health 200 within 1 s | slowest /health ms | recovery ms | within target |',
        '|---|---|---:|---:|---:|---:|---:|---:|---|',
      ];
      for (const stack of STACKS) for (const db of DBS) lines.push(await overloadRow(stack, db, root));
      const output = `${lines.join('\n')}\n\n${options['overload-connections']} connections for ${options['overload-seconds']} s on the authenticated list, on ${machine}.`;
      console.log(output);
      if (options.write) writePerformanceDoc('overload', output);
      return;
    }
    if (options.soak) {
      const lines = ['| stack | db | seconds | RSS after warm-up MiB | RSS at end MiB | drift | errors | notes lost | within target |', '|---|---|---:|---:|---:|---:|---:|---:|---|'];
      for (const stack of STACKS) for (const db of DBS) lines.push(await soak(stack, db, root, Number(options.soak)));
      const output = `${lines.join('\n')}\n\n${CONNECTIONS} connections, creates and lists alternating in 10 s turns, on ${machine}.`;
      console.log(output);
      if (options.write) writePerformanceDoc('soak', output);
      return;
    }
    const rows: Row[] = [];
    for (const stack of STACKS) for (const db of DBS) rows.push(...(await benchStack(stack, db, root)));
    const output = `${table(rows)}\n\n${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} rounds of app and bare side by side (× bare: median of the rounds' ratios), on ${machine}.`;
    console.log(output);
    if (options.write) writePerformanceDoc('apps', output);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Replaces one measured table in docs/performance.md (between its `bench:<section>` markers). */
function writePerformanceDoc(section: 'apps' | 'overload' | 'soak', output: string): void {
  const file = join(ROOT, 'docs', 'performance.md');
  const text = readFileSync(file, 'utf8');
  const start = `<!-- bench:${section} -->`;
  const end = `<!-- /bench:${section} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`${file} lacks the ${start} … ${end} markers`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${output}\n${text.slice(to)}`);
}

await main();
