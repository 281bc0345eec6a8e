import type { Answers, StackId } from '../answers/questions.js';
import type { PackageManager } from './package-manager.js';

/** The optional features, in the order their layers apply. */
export const FEATURE_IDS = ['docker', 'ci', 'backup', 'kubernetes'] as const;
/** A feature id. */
export type Feature = (typeof FEATURE_IDS)[number];
/** The features a new project gets when none are chosen. */
export const DEFAULT_FEATURES: readonly Feature[] = ['docker', 'ci', 'backup'];

/** What a feature adds, for help text and messages. */
export interface FeatureDescriptor {
  readonly id: Feature;
  readonly summary: string;
  /**
   * Features whose presence adds more of this one (a combined layer `a+b`): backup's compose
   * service exists only with docker's compose file. Not a requirement: each works alone.
   */
  readonly combinesWith: readonly Feature[];
  /**
   * Features this one cannot work without; choosing it adds them (kubernetes deploys the image
   * that docker's Dockerfile builds).
   */
  readonly requires: readonly Feature[];
  /**
   * Whether new projects with it come from the build's ready-made renders. Each such feature
   * doubles their count (and the package); the others render at run time.
   */
  readonly readyMade: boolean;
}

/** Every feature. */
export const FEATURES: Readonly<Record<Feature, FeatureDescriptor>> = {
  docker: { id: 'docker', summary: 'production Dockerfile, .dockerignore and compose.yaml (app + nginx + PostgreSQL + Redis)', combinesWith: [], requires: [], readyMade: true },
  ci: { id: 'ci', summary: 'GitHub Actions workflow: lint, tests on SQLite and PostgreSQL', combinesWith: ['docker'], requires: [], readyMade: true },
  backup: { id: 'backup', summary: 'ops/backup: backup, restore, verify, list, prune (SQLite and PostgreSQL), tested', combinesWith: ['docker', 'ci', 'kubernetes'], requires: [], readyMade: true },
  kubernetes: {
    id: 'kubernetes',
    summary: 'deploy/kubernetes: kustomize base + production overlay (adds docker for the image)',
    // Always present with it (required): its README section lands after docker+backup's.
    combinesWith: ['docker'],
    requires: ['docker'],
    readyMade: false,
  },
};

/** Sorts and de-duplicates features into their canonical order, with the features each requires. */
export function canonicalFeatures(features: Iterable<Feature>): Feature[] {
  const set = new Set<Feature>();
  const add = (f: Feature): void => {
    if (set.has(f)) return;
    set.add(f);
    FEATURES[f].requires.forEach(add);
  };
  for (const f of features) add(f);
  return FEATURE_IDS.filter((f) => set.has(f));
}

/** Names of the layers a set of features applies, in order: each feature, then each combination. */
function featureLayerNames(features: readonly Feature[]): string[] {
  const present = canonicalFeatures(features);
  // A pair in canonical order, without what either requires: `backup+kubernetes`.
  const pair = (f: Feature, g: Feature): string => FEATURE_IDS.filter((h) => h === f || h === g).join('+');
  const combos = present.flatMap((f) => FEATURES[f].combinesWith.filter((g) => present.includes(g)).map((g) => pair(f, g)));
  return [...present, ...combos];
}

/**
 * The answers, besides the features, that change what a project is made of. Each is a variable
 * of the template context (docs/templates.md); realtime and admin also add layers.
 */
export interface ProjectShape {
  /** `--workload realtime`: an event stream where the stack has one. */
  readonly realtime: boolean;
  /** `--admin yes` on a stack with a built-in admin (Django): the admin, mounted from the environment. */
  readonly admin: boolean;
  /** `--sensitive-data yes`: shorter-lived access tokens and a log of authentication events. */
  readonly sensitiveData: boolean;
  /** A Node project's package manager; pnpm and Yarn add their own settings file (layer `pm-<id>`). */
  readonly packageManager: PackageManager;
}

/** Stacks whose framework ships an admin back-office that `--admin yes` mounts. */
export const ADMIN_STACKS: readonly StackId[] = ['django'];

/** The shape of a project with these answers. */
export function projectShape(answers: Pick<Answers, 'stack' | 'workload' | 'admin' | 'sensitive-data' | 'package-manager'>): ProjectShape {
  return {
    realtime: answers.workload === 'realtime',
    admin: answers.admin === 'yes' && ADMIN_STACKS.includes(answers.stack),
    sensitiveData: answers['sensitive-data'] === 'yes',
    packageManager: answers['package-manager'] ?? 'npm',
  };
}

/** The shape of a project that answered none of the shaping questions. */
export const PLAIN_SHAPE: ProjectShape = { realtime: false, admin: false, sensitiveData: false, packageManager: 'npm' };

/**
 * The template layers of a project, in application order (docs/templates.md): base, each
 * feature, each combination of features, the layers of its shape, then the per-resource layers.
 * Layers that do not exist in the bundle are simply empty.
 */
export function layersFor(stack: StackId, features: readonly Feature[], shape: ProjectShape = PLAIN_SHAPE): string[] {
  const shaped = [...(shape.realtime ? ['realtime'] : []), ...(shape.admin ? ['admin'] : []), ...(shape.packageManager === 'npm' ? [] : [`pm-${shape.packageManager}`])];
  // What a shape adds to a feature's files, e.g. docker+admin: the admin's path in compose.yaml.
  const combos = canonicalFeatures(features).flatMap((f) => shaped.map((s) => `${f}+${s}`));
  // The admin registers every resource's model: its own resource layer.
  const resource = ['resource', ...(shape.admin ? ['admin+resource'] : [])];
  return ['base', ...featureLayerNames(features), ...shaped, ...combos, ...resource].flatMap((layer) => [`shared/${layer}`, `${stack}/${layer}`]);
}

/** Whether a layer is rendered once per resource. */
export function isResourceLayer(layer: string): boolean {
  return /[/+]resource$/.test(layer);
}
