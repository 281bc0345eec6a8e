import { interrupted, main } from './cli/main.js';
import { VERSION } from './generated/version.js';

// Ctrl-C or a kill during the write removes the staging directory before exiting, so no
// half-written project is left behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(interrupted((t) => process.stderr.write(t))));
}

const code = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  // The template bundle is the bulk of the CLI: load it only for commands that generate.
  bundle: async () => (await import('./generated/templates.js')).bundle,
  version: VERSION,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
process.exitCode = code;
