import type { Answers } from '../answers/questions.js';
import { TemplateError } from '../errors.js';
import { FEATURES, layersFor, STACKS, type Feature } from '../stacks/stacks.js';
import { buildDotEnv } from './env-file.js';
import { buildManifest, MANIFEST_FILE } from './manifest.js';
import { renderLayers, type TemplateContext } from './render.js';
import type { TemplateBundle } from './template-bundle.js';
import type { Tree } from './tree.js';

/** Inputs of generation besides the answers. */
export interface GenerateOptions {
  readonly bundle: TemplateBundle;
  readonly generatorVersion: string;
  readonly features?: readonly Feature[];
  /** Injectable for deterministic tests. */
  readonly randomSecret?: () => string;
}

/** The rendering context for a set of answers. */
export function templateContext(answers: Answers, bundle: TemplateBundle, generatorVersion: string): TemplateContext {
  return {
    name: answers.name,
    snakeName: answers.name.replaceAll('-', '_'),
    db: answers.db,
    isPostgres: answers.db === 'postgres',
    generatorVersion,
    versions: bundle.versions[answers.stack] ?? {},
  };
}

/**
 * Generates a whole project in memory: a pure function of the answers (plus fresh secrets for
 * the git-ignored `.env`). No disk, network or child process is touched.
 */
export async function generateProject(answers: Answers, options: GenerateOptions): Promise<Tree> {
  const stack = STACKS[answers.stack];
  if (stack.unavailable) throw new TemplateError(stack.unavailable);
  const features = options.features ?? FEATURES;
  const context = templateContext(answers, options.bundle, options.generatorVersion);
  const tree = await renderLayers(options.bundle, layersFor(answers.stack, features), context);

  const example = tree.read('.env.example');
  if (example !== undefined) {
    const overrides: Record<string, string> =
      answers.db === 'postgres' ? { DATABASE_URL: `postgresql://postgres@localhost:5432/${context.snakeName}` } : {};
    tree.write('.env', buildDotEnv(example, overrides, options.randomSecret), 0o600);
  }
  const manifest = buildManifest(tree, {
    generatorVersion: options.generatorVersion,
    stack: answers.stack,
    features,
    answers,
    commands: stack.commands,
  });
  tree.write(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return tree;
}
