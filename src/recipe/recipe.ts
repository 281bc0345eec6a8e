import type { Answers } from '../answers/questions.js';
import { NOTE_RESOURCE, type ResourceSpec } from '../resources/spec.js';
import { canonicalFeatures, type Feature } from '../stacks/features.js';

/**
 * Everything a render depends on (DESIGN §5). `create`, `add`, `generate resource` and `update`
 * each change a recipe and merge the render of the old one (base) and of the new one (theirs)
 * into the disk (ours).
 */
export interface Recipe {
  /** The answers, including the optional features (`answers.features`). */
  readonly answers: Answers;
  /** In order; `Note` is the first resource of every new project. */
  readonly resources: readonly ResourceSpec[];
}

/** The recipe of a new project. */
export function newRecipe(answers: Answers): Recipe {
  return { answers: { ...answers, features: canonicalFeatures(answers.features) }, resources: [NOTE_RESOURCE] };
}

/** The recipe with more features. */
export function withFeatures(recipe: Recipe, features: readonly Feature[]): Recipe {
  return { ...recipe, answers: { ...recipe.answers, features: canonicalFeatures([...recipe.answers.features, ...features]) } };
}

/** The recipe with one more resource (appended: migrations follow recipe order). */
export function withResource(recipe: Recipe, resource: ResourceSpec): Recipe {
  return { ...recipe, resources: [...recipe.resources, resource] };
}
