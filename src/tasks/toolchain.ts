import { execa } from 'execa';
import type { StackId } from '../answers/questions.js';
import { compareVersions } from '../project/version.js';
import type { PackageManager } from '../stacks/package-manager.js';

/** What a stack's install needs, found or not. */
export type ToolchainCheck = { readonly ok: true; readonly found: string } | { readonly ok: false; readonly problem: string };

async function output(command: string, args: readonly string[]): Promise<string | undefined> {
  const result = await execa(command, args, { reject: false, stdin: 'ignore', timeout: 20_000 });
  return result.exitCode === 0 ? String(result.stdout).trim() : undefined;
}

/** Interpreters to suggest when `python3` is too old, newest first. */
const NEWER_PYTHONS = ['python3.13', 'python3.12', 'python3.11'];

/**
 * Checks, before installing, that the programs a stack's commands run are there and new enough:
 * Node >= 22.16 (the generated project uses node:sqlite APIs older releases lack), uv (`useUv`: it finds or fetches
 * the Python the project asks for) or else Python >= 3.11 with venv, PHP >= 8.2 with Composer.
 * The message says what is missing and how to get it.
 */
export async function checkToolchain(stack: StackId, useUv = false, packageManager: PackageManager = 'npm'): Promise<ToolchainCheck> {
  if (stack === 'node') {
    const version = await output('node', ['-p', 'process.versions.node']);
    const pm = await output(packageManager, ['--version']);
    if (version && pm && compareVersions(version, '22.16.0') >= 0) return { ok: true, found: `node ${version}, ${packageManager} ${pm}` };
    return {
      ok: false,
      problem: `The project needs Node.js 22.16 or newer with ${packageManager} (Node 22 or 24 LTS); found ${version ? `node ${version}` : 'no node'}${pm ? '' : ` and no ${packageManager}`}. Install one from https://nodejs.org or with a version manager (\`nvm install 24\`, \`fnm install 24\`)${packageManager === 'npm' ? '' : `, and ${packageManager} (https://${packageManager === 'bun' ? 'bun.sh' : packageManager === 'pnpm' ? 'pnpm.io' : 'yarnpkg.com'}/)`}, then run the install command below.`,
    };
  }
  if ((stack === 'django' || stack === 'flask') && useUv) {
    const uv = await output('uv', ['--version']);
    if (uv) return { ok: true, found: uv.split(' ').slice(0, 2).join(' ') };
    return { ok: false, problem: 'uv is on PATH but `uv --version` fails. Reinstall it (https://docs.astral.sh/uv/getting-started/installation/), then run the install command below.' };
  }
  if (stack === 'django' || stack === 'flask') {
    // The commands run `python3`; only when it is too old is a newer interpreter worth naming.
    const found: string[] = [];
    for (const python of ['python3', ...NEWER_PYTHONS]) {
      const version = await output(python, ['-c', 'import sys, venv; print("%d.%d.%d" % sys.version_info[:3])']);
      if (!version) continue;
      if (compareVersions(version, '3.11.0') >= 0) {
        if (python === 'python3') return { ok: true, found: `python3 ${version}` };
        return { ok: false, problem: `python3 is older than 3.11, but ${python} (${version}) is installed: run the install command below with \`${python} -m venv .venv\` in place of \`python3 -m venv .venv\`; the rest of the commands use .venv.` };
      }
      found.push(`${python} ${version}`);
    }
    return {
      ok: false,
      problem: `The project needs Python 3.11 or newer with venv; found ${found.length > 0 ? found.join(', ') : 'no python3'}. Install it (Debian/Ubuntu: \`apt install python3.11 python3.11-venv\`; macOS: \`brew install python@3.12\`; or https://www.python.org/downloads/), then run the install command below; or install uv (https://docs.astral.sh/uv/), which fetches a Python itself, and run \`uv sync --locked\`.`,
    };
  }
  const php = await output('php', ['-r', 'echo PHP_VERSION;']);
  const composer = await output('composer', ['--version']);
  if (php && composer && compareVersions(php, '8.2.0') >= 0) return { ok: true, found: `php ${php}, ${composer.split('\n')[0]}` };
  return {
    ok: false,
    problem: `The project needs PHP 8.2 or newer and Composer; found ${php ? `php ${php}` : 'no php'}${composer ? '' : ' and no composer'}. Install them (Debian/Ubuntu: \`apt install php8.2-cli php8.2-sqlite3 php8.2-pgsql php8.2-mbstring php8.2-xml composer\`; or https://getcomposer.org), then run the install command below.`,
  };
}
