import type { Answers } from '../answers/questions.js';
import { NOTE_RESOURCE, type ResourceSpec } from '../resources/spec.js';
import { canonicalFeatures, FEATURE_IDS, type Feature } from '../stacks/features.js';

/**
 * Everything a render depends on (DESIGN §5). `create`, `add`, `generate resource` and `update`
 * each change a recipe and merge the render of the old one (base) and of the new one (theirs)
 * into the disk (ours).
 */
export interface Recipe {
  readonly answers: Answers;
  readonly features: readonly Feature[];
  /** In order; `Note` is the first resource of every new project. */
  readonly resources: readonly ResourceSpec[];
}

/** The recipe of a new project. */
export function newRecipe(answers: Answers, features: readonly Feature[] = FEATURE_IDS): Recipe {
  return { answers, features: canonicalFeatures(features), resources: [NOTE_RESOURCE] };
}

/** The recipe with one more feature. */
export function withFeature(recipe: Recipe, feature: Feature): Recipe {
  return { ...recipe, features: canonicalFeatures([...recipe.features, feature]) };
}

/** The recipe with one more resource (appended: migrations follow recipe order). */
export function withResource(recipe: Recipe, resource: ResourceSpec): Recipe {
  return { ...recipe, resources: [...recipe.resources, resource] };
}
