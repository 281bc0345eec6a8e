import type { StackId } from '../answers/questions.js';

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
 * The template layers of a project, in application order (docs/templates.md): base, each
 * feature, each combination of features, then the per-resource layer. Layers that do not exist
 * in the bundle are simply empty.
 */
export function layersFor(stack: StackId, features: readonly Feature[], realtime = false): string[] {
  // `realtime` (--workload realtime) adds the event stream where a stack has one.
  return ['base', ...featureLayerNames(features), ...(realtime ? ['realtime'] : []), 'resource'].flatMap((layer) => [`shared/${layer}`, `${stack}/${layer}`]);
}

/** Whether a layer is rendered once per resource. */
export function isResourceLayer(layer: string): boolean {
  return layer.endsWith('/resource');
}
