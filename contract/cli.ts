// Runs the contract suite against a live server:
//   npx tsx contract/cli.ts --base-url http://127.0.0.1:8000 [--jwt-secret S] [--allowed-origin O]
//     [--production] [--break-database-command CMD]
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { runContract, type ContractOptions } from './suite.js';

const usage =
  'usage: tsx contract/cli.ts --base-url URL [--jwt-secret SECRET] [--allowed-origin ORIGIN] [--production] ' +
  '[--break-database-command CMD] [--spec PROJECT/openapi.json]';

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

const command = values['break-database-command'];
const options: ContractOptions = {
  baseUrl: values['base-url'],
  production: values.production,
  log: (line) => console.log(line),
  ...(values['jwt-secret'] === undefined ? {} : { jwtSecret: values['jwt-secret'] }),
  ...(values['allowed-origin'] === undefined ? {} : { allowedOrigin: values['allowed-origin'] }),
  ...(values.spec === undefined ? {} : { specFile: values.spec }),
  ...(command === undefined ? {} : { breakDatabase: async () => void (await promisify(exec)(command)) }),
};

const report = await runContract(options);
console.log(`${report.passed} passed, ${report.failed} failed`);
process.exitCode = report.failed > 0 ? 1 : 0;
