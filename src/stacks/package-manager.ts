import type { ProjectCommands } from './stacks.js';

/** The package managers a Node project can be made for. */
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
/** A package manager id. */
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/**
 * The package manager that runs this process, from the user agent npm, pnpm, yarn and bun all
 * set for the packages they run (`pnpm/10.4.1 npm/? node/v22.14.0 linux x64`), as create-vite
 * reads it: `pnpm create backend-stack` makes a pnpm project. Anything else means npm.
 */
export function detectPackageManager(userAgent: string | undefined = process.env.npm_config_user_agent): PackageManager {
  const match = /^(npm|pnpm|yarn|bun)\//.exec(userAgent ?? '');
  return match ? (match[1] as PackageManager) : 'npm';
}

/** The command lines of one package manager. */
export interface PackageManagerCommands {
  /** Installs the dependencies (a lockfile is written or updated). */
  readonly install: string;
  /** Installs exactly the committed lockfile, failing when it is out of date (CI, Docker). */
  readonly installFrozen: string;
  /** Runs a package.json script: `npm run`, `pnpm run`, `yarn run`, `bun run`. */
  readonly run: string;
  /** Runs the `test` script (`bun test` would run Bun's own test runner instead). */
  readonly test: string;
  /** Runs the `start` script. */
  readonly start: string;
  /** What separates a script's own arguments: npm needs `--`, the others pass them on as they are. */
  readonly argsSeparator: string;
  /** The lockfile it writes. */
  readonly lockfile: string;
}

const COMMANDS: Readonly<Record<PackageManager, PackageManagerCommands>> = {
  npm: { install: 'npm install --no-audit --no-fund', installFrozen: 'npm ci --no-audit --no-fund', run: 'npm run', test: 'npm test', start: 'npm start', argsSeparator: '-- ', lockfile: 'package-lock.json' },
  pnpm: { install: 'pnpm install', installFrozen: 'pnpm install --frozen-lockfile', run: 'pnpm run', test: 'pnpm test', start: 'pnpm start', argsSeparator: '', lockfile: 'pnpm-lock.yaml' },
  // Modern Yarn through corepack, with node_modules rather than Plug'n'Play (.yarnrc.yml). Under
  // CI=true Yarn refuses to write a lockfile unless told to: the first install writes one.
  yarn: { install: 'yarn install --no-immutable', installFrozen: 'yarn install --immutable', run: 'yarn run', test: 'yarn test', start: 'yarn start', argsSeparator: '', lockfile: 'yarn.lock' },
  bun: { install: 'bun install', installFrozen: 'bun install --frozen-lockfile', run: 'bun run', test: 'bun run test', start: 'bun run start', argsSeparator: '', lockfile: 'bun.lock' },
};

/** What the templates say to run, for one package manager (the template context's `pm`). */
export interface PackageManagerContext extends PackageManagerCommands {
  readonly id: PackageManager;
  readonly isNpm: boolean;
  readonly isPnpm: boolean;
  readonly isYarn: boolean;
  readonly isBun: boolean;
  /** The `packageManager` field of package.json (corepack and CI set-up actions read it); empty for npm and Bun. */
  readonly packageManagerField: string;
}

/**
 * The versions pinned in `packageManager` (templates/node/versions.json `pnpm`, `yarn`): pinned
 * like every other tool, not read from the user agent, so that `update` renders the same file on
 * any machine. Corepack and the CI set-up actions install exactly that version.
 */
export interface PackageManagerVersions {
  readonly pnpm: string;
  readonly yarn: string;
}

/** The template context of a package manager. */
export function packageManagerContext(id: PackageManager, pinned: PackageManagerVersions): PackageManagerContext {
  const field = id === 'pnpm' || id === 'yarn' ? `${id}@${pinned[id]}` : '';
  return { id, ...COMMANDS[id], isNpm: id === 'npm', isPnpm: id === 'pnpm', isYarn: id === 'yarn', isBun: id === 'bun', packageManagerField: field };
}

/** The pinned versions, read from a stack's version map (other stacks have none: any will do). */
export function packageManagerVersions(versions: Readonly<Record<string, string>>): PackageManagerVersions {
  return { pnpm: versions.pnpm ?? '', yarn: versions.yarn ?? '' };
}

/** How the project's README runs a package from the registry: `npx`, `pnpm dlx`, `yarn dlx`, `bunx`. */
export function cliRunner(id: PackageManager): string {
  return { npm: 'npx', pnpm: 'pnpm dlx', yarn: 'yarn dlx', bun: 'bunx' }[id];
}

/**
 * A Node project's commands (`.create-backend.json`) with its package manager. The server starts
 * as the Dockerfile starts it, without the package manager in between: npm dies of the SIGTERM
 * it forwards, so a process manager would see a signal death instead of the server's drained exit 0.
 */
export function nodeCommands(id: PackageManager): ProjectCommands {
  const pm = COMMANDS[id];
  return { install: pm.install, build: `${pm.run} build`, test: pm.test, lint: `${pm.run} lint`, migrate: `${pm.run} migrate`, start: 'node dist/server.js' };
}
