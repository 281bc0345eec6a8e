import type { StackId } from '../answers/questions.js';
import { nodeCommands } from './package-manager.js';

/**
 * The project's own commands, as shell strings run from the project root. They are written into
 * `.create-backend.json` so that CI jobs, `add`/`update` and the end-to-end tests drive every
 * stack the same way.
 */
export interface ProjectCommands {
  readonly install: string;
  readonly build?: string;
  readonly test: string;
  readonly lint?: string;
  readonly migrate: string;
  readonly start: string;
}

/** What create-backend knows about one stack. */
export interface StackDescriptor {
  readonly id: StackId;
  readonly label: string;
  /** `undefined` when the stack can be generated; otherwise why it cannot. */
  readonly unavailable?: string;
  /** Programs the project's commands need, with the version they need, for messages. */
  readonly toolchain: readonly string[];
  /** The project's commands; for a Python stack, with uv. */
  readonly commands: ProjectCommands;
  /** A Python stack's commands with pip, for a machine without uv. */
  readonly pipCommands?: ProjectCommands;
}

/** How a Python project's dependencies are installed: from uv.lock with uv, or with pip. */
export type PythonInstaller = 'uv' | 'pip';

/**
 * A Python stack's commands with either installer. uv installs the lock into `.venv` and runs the
 * tools through it; pip installs `requirements-dev.txt` (exported from the lock) into a `.venv`
 * of its own. Migrations and the server run from `.venv/bin` either way, as production does.
 */
const pythonCommands = (installer: PythonInstaller, manage: { migrate: string; start: string }): ProjectCommands => {
  const tool = installer === 'uv' ? (name: string) => `uv run ${name}` : (name: string) => `.venv/bin/${name}`;
  return {
    install:
      installer === 'uv'
        ? 'uv sync --locked'
        : 'python3 -m venv .venv && .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt',
    test: installer === 'uv' ? 'uv run pytest' : '.venv/bin/python -m pytest',
    // Ruff's lint and format check, then mypy (configured in pyproject.toml).
    lint: `${tool('ruff')} check . && ${tool('ruff')} format --check . && ${tool('mypy')} .`,
    ...manage,
  };
};

const DJANGO = { migrate: '.venv/bin/python manage.py migrate --noinput', start: '.venv/bin/gunicorn -c gunicorn.conf.py config.wsgi' };
const FLASK = { migrate: '.venv/bin/alembic upgrade head', start: '.venv/bin/gunicorn -c gunicorn.conf.py "app:create_app()"' };

/** Every stack, in the recommendation's tie-break order. */
export const STACKS: Readonly<Record<StackId, StackDescriptor>> = {
  node: {
    id: 'node',
    label: 'Node.js (TypeScript, Fastify 5)',
    toolchain: ['node >= 22.16', 'npm (or pnpm, Yarn, Bun)'],
    // With npm; a project made with another package manager records its own (package-manager.ts).
    commands: nodeCommands('npm'),
  },
  django: {
    id: 'django',
    label: 'Django 5.2 LTS + Django REST framework',
    toolchain: ['uv, or python3 >= 3.11'],
    // mypy runs with django-stubs and djangorestframework-stubs.
    commands: pythonCommands('uv', DJANGO),
    pipCommands: pythonCommands('pip', DJANGO),
  },
  flask: {
    id: 'flask',
    label: 'Flask 3.1 + SQLAlchemy 2',
    toolchain: ['uv, or python3 >= 3.11'],
    commands: pythonCommands('uv', FLASK),
    pipCommands: pythonCommands('pip', FLASK),
  },
  php: {
    id: 'php',
    label: 'PHP 8.2+ (Slim 4)',
    toolchain: ['php >= 8.2 (pdo_sqlite or pdo_pgsql, mbstring)', 'composer', 'php-fpm and nginx (to serve)'],
    commands: {
      install: 'composer install --no-interaction --no-progress',
      test: 'composer test',
      lint: 'composer lint',
      migrate: 'composer migrate',
      // What production runs: php-fpm workers behind nginx, in the foreground (bin/serve).
      start: 'bin/serve',
    },
  },
};

/** The stacks this version can generate, for messages: `node, django or flask`. */
export function availableStacks(): string {
  const ids = Object.values(STACKS).filter((s) => !s.unavailable).map((s) => s.id);
  return ids.length > 1 ? `${ids.slice(0, -1).join(', ')} or ${ids.at(-1)}` : ids.join('');
}

/** Whether a project's recorded commands install with uv: a project keeps the installer it was made with. */
export function usesUv(commands: ProjectCommands): boolean {
  return commands.install.startsWith('uv ');
}

/**
 * A stack's commands for the installer a project uses: for a Python stack, uv when `uv` is
 * available (`useUv`), else pip; other stacks have one set.
 */
export function commandsFor(stack: StackId, useUv: boolean): ProjectCommands {
  const descriptor = STACKS[stack];
  return !useUv && descriptor.pipCommands ? descriptor.pipCommands : descriptor.commands;
}
