import { TemplateError } from '../errors.js';
import { PACKAGE_NAME } from '../generated/version.js';
import type { Recipe } from '../recipe/recipe.js';
import { resourceContexts } from '../resources/context.js';
import { documentWithResources } from '../resources/openapi.js';
import { FEATURE_IDS, layersFor, projectShape, type Feature } from '../stacks/features.js';
import { cliRunner, packageManagerContext, packageManagerVersions } from '../stacks/package-manager.js';
import { STACKS } from '../stacks/stacks.js';
import { buildDotEnv } from './env-file.js';
import { buildManifest, MANIFEST_FILE, manifestText, type ProjectManifest } from './manifest.js';
import { isNewProjectResources, isReadyMadeAnswers, readyMadeTree } from './ready-made.js';
import { renderLayers, type TemplateContext } from './render.js';
import type { TemplateBundle } from './template-bundle.js';
import type { Tree } from './tree.js';

/** What a render needs besides the recipe. */
export interface RenderOptions {
  readonly bundle: TemplateBundle;
  readonly generatorVersion: string;
}

/** Inputs of generation besides the recipe. */
export interface GenerateOptions extends RenderOptions {
  /** Injectable for deterministic tests. */
  readonly randomSecret?: () => string;
}

/** The OpenAPI document's path in every project. */
const OPENAPI_FILE = 'openapi.json';

/**
 * The rendering context of a recipe. A new project's render depends on nothing of the answers
 * but the name, the database, the features and the project's shape (realtime, admin, sensitive
 * data): the ready-made renders (ready-made.ts) cover the plain shape, keyed by the rest, so
 * another answer that reaches the context must join `variantKey` or `isReadyMadeAnswers`.
 */
export function templateContext(recipe: Recipe, bundle: TemplateBundle, generatorVersion: string): TemplateContext {
  const { answers } = recipe;
  const versions = { ...bundle.versions.shared, ...bundle.versions[answers.stack] };
  const shape = projectShape(answers);
  return {
    name: answers.name,
    snakeName: answers.name.replaceAll('-', '_'),
    db: answers.db,
    isPostgres: answers.db === 'postgres',
    generatorVersion,
    versions,
    features: Object.fromEntries(FEATURE_IDS.map((f) => [f, answers.features.includes(f)])) as Record<Feature, boolean>,
    resources: resourceContexts(recipe.resources),
    cli: `${cliRunner(shape.packageManager)} ${PACKAGE_NAME}`,
    ...shape,
    pm: packageManagerContext(shape.packageManager, packageManagerVersions(versions)),
  };
}

/**
 * The pristine render of a recipe: every file the templates emit, without the secrets file and
 * the manifest. A pure function: no disk, network, clock or randomness, so rendering the same
 * recipe with the same version always gives the same bytes (the base of every three-way merge).
 */
export async function renderRecipe(recipe: Recipe, options: RenderOptions): Promise<Tree> {
  const stack = STACKS[recipe.answers.stack];
  if (stack.unavailable) throw new TemplateError(stack.unavailable);
  const readyMade = isNewProjectResources(recipe.resources) && isReadyMadeAnswers(recipe.answers) ? options.bundle.readyMade?.(recipe.answers.db) : undefined;
  const ready = readyMade?.version === options.generatorVersion ? readyMadeTree(readyMade, recipe.answers) : undefined;
  if (ready) return ready;
  const tree = await renderLayers(options.bundle, layersFor(recipe.answers.stack, recipe.answers.features, projectShape(recipe.answers)), templateContext(recipe, options.bundle, options.generatorVersion));
  const document = tree.read(OPENAPI_FILE);
  if (document !== undefined) tree.write(OPENAPI_FILE, documentWithResources(document, recipe.resources, recipe.answers.name), tree.get(OPENAPI_FILE)!.mode);
  return tree;
}

/** A local `.env` for a pristine render: fresh secrets for every placeholder of `.env.example`. */
export function dotEnvFor(pristine: Tree, recipe: Recipe, randomSecret?: () => string): string | undefined {
  const example = pristine.read('.env.example');
  if (example === undefined) return undefined;
  const snakeName = recipe.answers.name.replaceAll('-', '_');
  const overrides: Record<string, string> = recipe.answers.db === 'postgres' ? { DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${snakeName}` } : {};
  return buildDotEnv(example, overrides, randomSecret);
}

/** The manifest of a recipe's pristine render. */
export function manifestFor(pristine: Tree, recipe: Recipe, generatorVersion: string): ProjectManifest {
  return buildManifest(pristine, recipe, { generatorVersion, commands: STACKS[recipe.answers.stack].commands });
}

/** A generated project: its pristine render, and the files to write (plus `.env` and the manifest). */
export interface GeneratedProject {
  readonly pristine: Tree;
  readonly tree: Tree;
  readonly manifest: ProjectManifest;
}

/**
 * Generates a whole project in memory: the pristine render plus a private `.env` with fresh
 * secrets and the manifest. No disk, network or child process is touched.
 */
export async function generateProject(recipe: Recipe, options: GenerateOptions): Promise<GeneratedProject> {
  const pristine = await renderRecipe(recipe, options);
  const tree = pristine.clone();
  const env = dotEnvFor(pristine, recipe, options.randomSecret);
  if (env !== undefined) tree.write('.env', env, 0o600);
  const manifest = manifestFor(pristine, recipe, options.generatorVersion);
  tree.write(MANIFEST_FILE, manifestText(manifest));
  return { pristine, tree, manifest };
}
