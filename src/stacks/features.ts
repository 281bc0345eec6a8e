import type { StackId } from '../answers/questions.js';

/** The optional features, in the order their layers apply. */
export const FEATURE_IDS = ['docker', 'ci', 'backup'] as const;
/** A feature id. */
export type Feature = (typeof FEATURE_IDS)[number];

/** What a feature adds, for help text and messages. */
export interface FeatureDescriptor {
  readonly id: Feature;
  readonly summary: string;
  /**
   * Features whose presence adds more of this one (a combined layer `a+b`): backup's compose
   * service exists only with docker's compose file. Not a requirement: each works alone.
   */
  readonly combinesWith: readonly Feature[];
}

/** Every feature. */
export const FEATURES: Readonly<Record<Feature, FeatureDescriptor>> = {
  docker: { id: 'docker', summary: 'production Dockerfile, .dockerignore and compose.yaml (app + PostgreSQL)', combinesWith: [] },
  ci: { id: 'ci', summary: 'GitHub Actions workflow: lint, tests on SQLite and PostgreSQL', combinesWith: ['docker'] },
  backup: { id: 'backup', summary: 'ops/backup: backup, restore, verify, list, prune (SQLite and PostgreSQL), tested', combinesWith: ['docker', 'ci'] },
};

/** Sorts and de-duplicates features into their canonical order. */
export function canonicalFeatures(features: Iterable<Feature>): Feature[] {
  const set = new Set(features);
  return FEATURE_IDS.filter((f) => set.has(f));
}

/** Names of the layers a set of features applies, in order: each feature, then each combination. */
function featureLayerNames(features: readonly Feature[]): string[] {
  const present = canonicalFeatures(features);
  const combos = present.flatMap((f) => FEATURES[f].combinesWith.filter((g) => present.includes(g)).map((g) => canonicalFeatures([f, g]).join('+')));
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
