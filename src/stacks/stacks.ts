import type { StackId } from '../answers/questions.js';

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
  readonly commands: ProjectCommands;
}

/** Ruff's lint and format check; a stack adds its type checker after them. */
const RUFF = '.venv/bin/ruff check . && .venv/bin/ruff format --check .';

const pythonCommands = (manage: { migrate: string; start: string; lint?: string }): ProjectCommands => ({
  install: 'python3 -m venv .venv && .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt',
  test: '.venv/bin/python -m pytest',
  lint: RUFF,
  ...manage,
});

/** Every stack, in the recommendation's tie-break order. */
export const STACKS: Readonly<Record<StackId, StackDescriptor>> = {
  node: {
    id: 'node',
    label: 'Node.js (TypeScript, Fastify 5)',
    toolchain: ['node >= 22.13', 'npm'],
    commands: {
      install: 'npm install --no-audit --no-fund',
      build: 'npm run build',
      test: 'npm test',
      lint: 'npm run lint',
      migrate: 'npm run migrate',
      start: 'npm start',
    },
  },
  django: {
    id: 'django',
    label: 'Django 5.2 LTS + Django REST framework',
    toolchain: ['python3 >= 3.11'],
    commands: pythonCommands({
      migrate: '.venv/bin/python manage.py migrate --noinput',
      start: '.venv/bin/gunicorn -c gunicorn.conf.py config.wsgi',
      // mypy with django-stubs and djangorestframework-stubs (configured in pyproject.toml).
      lint: `${RUFF} && .venv/bin/mypy .`,
    }),
  },
  flask: {
    id: 'flask',
    label: 'Flask 3.1 + SQLAlchemy 2',
    toolchain: ['python3 >= 3.11'],
    commands: pythonCommands({
      migrate: '.venv/bin/alembic upgrade head',
      start: '.venv/bin/gunicorn -c gunicorn.conf.py "app:create_app()"',
    }),
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
