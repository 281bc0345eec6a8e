import { createHash } from 'node:crypto';
import type { Answers } from '../answers/questions.js';
import type { Recipe } from '../recipe/recipe.js';
import type { ResourceSpec } from '../resources/spec.js';
import type { ProjectCommands } from '../stacks/stacks.js';
import type { Tree } from './tree.js';

/** File name of the manifest at the root of every generated project. */
export const MANIFEST_FILE = '.create-backend.json';

/** Version of the manifest's own format; 1 had no `schemaVersion` and no `resources`. */
export const MANIFEST_SCHEMA_VERSION = 2;

/** Files that are never hashed: the manifest itself and the secrets file. */
export const UNTRACKED = new Set([MANIFEST_FILE, '.env']);

/** The content of `.create-backend.json`. Holds no secret: answers are all non-secret choices. */
export interface ProjectManifest {
  readonly schemaVersion: number;
  readonly generator: { readonly name: 'create-backend'; readonly version: string };
  readonly stack: Answers['stack'];
  /** The recipe: answers (with the features) and resources. */
  readonly answers: Answers;
  readonly resources: readonly ResourceSpec[];
  readonly commands: ProjectCommands;
  /**
   * sha256 (hex) of every file of the pristine render of the recipe, so later commands can
   * tell the files the user edited from those they did not.
   */
  readonly files: Readonly<Record<string, string>>;
}

/** sha256 of a file's bytes, hex. */
export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The hash of every tracked file of a tree. */
export function hashTree(tree: Tree): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of tree.paths()) {
    if (!UNTRACKED.has(path)) files[path] = sha256(tree.get(path)!.content);
  }
  return files;
}

/** Builds the manifest of a recipe and its pristine render. */
export function buildManifest(pristine: Tree, recipe: Recipe, meta: { readonly generatorVersion: string; readonly commands: ProjectCommands }): ProjectManifest {
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    generator: { name: 'create-backend', version: meta.generatorVersion },
    stack: recipe.answers.stack,
    answers: recipe.answers,
    resources: recipe.resources,
    commands: meta.commands,
    files: hashTree(pristine),
  };
}

/** The manifest's text as written to disk. */
export function manifestText(manifest: ProjectManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
