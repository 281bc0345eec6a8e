/**
 * Start-up and generation speed, as ratios against baselines measured in the same run:
 * `node -e ''` (the floor for any Node CLI) and create-vite generating `vanilla-ts`.
 * Runs are interleaved round by round so machine noise hits every side alike; medians are compared.
 *
 *   npm run bench            (after npm run build)
 *
 * Targets: generation <= 2x `node -e ''`, `--help` <= 1.5x.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CLI = process.env.BENCH_CLI ?? join(ROOT, 'dist', 'cli.cjs');
const VITE_DIR = join(ROOT, '.cache', 'bench');
const CREATE_VITE = join(VITE_DIR, 'node_modules', 'create-vite', 'index.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);

if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run npm run build first');
if (!existsSync(CREATE_VITE)) {
  execFileSync('npm', ['install', '--prefix', VITE_DIR, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', 'create-vite@9.3.0'], { stdio: 'ignore' });
}

// The same environment for every side; extra CA certificates cost start-up time.
const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
delete env.NODE_EXTRA_CA_CERTS;

// Output goes to memory (tmpfs) when available, so disk write-back noise does not swamp a
// measurement of the tools themselves; both tools write to the same place.
const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'cb-bench-'));
let n = 0;
const cases: Record<string, () => string[]> = {
  "node -e ''": () => ['-e', ''],
  'create-backend --help': () => [CLI, '--help'],
  // Both tools run inside the scratch directory with a relative target (create-vite treats an
  // absolute target as relative to the working directory).
  'create-backend generate node': () => [CLI, `cb-${n++}`, '--stack', 'node', '--yes', '--no-install', '--no-git'],
  'create-vite vanilla-ts': () => [CREATE_VITE, `vite-${n++}`, '--template', 'vanilla-ts', '--no-interactive', '--no-immediate'],
};

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: 'ignore', cwd: scratch });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return ms;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) timeOnce(args()); // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, args] of Object.entries(cases)) samples[name]!.push(timeOnce(args()));
}
rmSync(scratch, { recursive: true, force: true });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floor = median(samples["node -e ''"]!);
console.log(`${ROUNDS} interleaved rounds, median wall time, ratio to node -e ''`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`  ${name.padEnd(30)} ${median(xs).toFixed(1).padStart(7)} ms   ${(median(xs) / floor).toFixed(2)}x`);
}
const gen = median(samples['create-backend generate node']!) / floor;
const help = median(samples['create-backend --help']!) / floor;
console.log(`  generate samples: ${samples["create-backend generate node"]!.map((x) => x.toFixed(0)).join(" ")}`);
console.log(`targets: generation ${gen.toFixed(2)}x <= 2.00x ${gen <= 2 ? 'ok' : 'MISSED'}; --help ${help.toFixed(2)}x <= 1.50x ${help <= 1.5 ? 'ok' : 'MISSED'}`);
process.exitCode = gen <= 2 && help <= 1.5 ? 0 : 1;
