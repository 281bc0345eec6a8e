import module from 'node:module';
import { interrupted, main } from './cli/main.js';
import { VERSION } from './generated/version.js';

// Node >= 22.1 can cache compiled code between runs; a no-op where unsupported.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Ctrl-C or a kill during the write removes the staging directory before exiting, so no
// half-written project is left behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(interrupted((t) => process.stderr.write(t))));
}

void main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  // Loaded and asked only when a prompt is possible: node:tty costs more start-up time than
  // generating a project, and touching process.stdin would build a stream too.
  isTTY: async () => {
    const { isatty } = await import('node:tty');
    return isatty(0) && isatty(1);
  },
  version: VERSION,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then((code) => {
  process.exitCode = code;
});
