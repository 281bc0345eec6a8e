// Runs the contract suite against a live server:
//   npx tsx contract/cli.ts --base-url http://127.0.0.1:8000 [--jwt-secret S] [--allowed-origin O]
//     [--production] [--break-database-command CMD] [--spec FILE] [--seed N] [--only TEXT]
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { runContract, type ContractOptions } from './suite.js';

const usage =
  'usage: tsx contract/cli.ts --base-url URL [--jwt-secret SECRET] [--allowed-origin ORIGIN] [--production] ' +
  '[--break-database-command CMD] [--spec PROJECT/openapi.json] [--seed N] [--only TEXT]';

let values;
try {
  ({ values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      'jwt-secret': { type: 'string' },
      'allowed-origin': { type: 'string' },
      production: { type: 'boolean', default: false },
      // A shell command that drops the server's `notes` table, for the 500 check.
      'break-database-command': { type: 'string' },
      // The project's openapi.json: its generated resources get checks of their own.
      spec: { type: 'string' },
      // The base seed of the generated inputs (default: CONTRACT_SEED, else random).
      seed: { type: 'string' },
      // Only the checks whose name contains this text.
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help || !values['base-url']) {
  (values.help ? console.log : console.error)(usage);
  process.exit(values.help ? 0 : 2);
}

if (values.seed !== undefined && !Number.isSafeInteger(Number(values.seed))) {
  console.error(`--seed must be an integer, got ${values.seed}\n${usage}`);
  process.exit(2);
}

const command = values['break-database-command'];
const options: ContractOptions = {
  baseUrl: values['base-url'],
  production: values.production,
  log: (line) => console.log(line),
  ...(values['jwt-secret'] === undefined ? {} : { jwtSecret: values['jwt-secret'] }),
  ...(values['allowed-origin'] === undefined ? {} : { allowedOrigin: values['allowed-origin'] }),
  ...(values.spec === undefined ? {} : { specFile: values.spec }),
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
  ...(values.only === undefined ? {} : { only: values.only }),
  ...(command === undefined ? {} : { breakDatabase: async () => void (await promisify(exec)(command)) }),
};

const report = await runContract(options);
const slow = report.checks.filter((check) => check.ms >= 5000);
for (const check of slow) console.log(`slow ${check.name}: ${(check.ms / 1000).toFixed(1)} s`);
const seconds = report.checks.reduce((sum, check) => sum + check.ms, 0) / 1000;
console.log(`${report.passed} passed, ${report.failed} failed in ${seconds.toFixed(0)} s`);
process.exitCode = report.failed > 0 ? 1 : 0;
