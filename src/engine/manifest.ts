import { createHash } from 'node:crypto';
import type { Answers } from '../answers/questions.js';
import type { Feature, ProjectCommands } from '../stacks/stacks.js';
import type { Tree } from './tree.js';

/** File name of the manifest at the root of every generated project. */
export const MANIFEST_FILE = '.create-backend.json';

/** Files that are never hashed: the manifest itself and the secrets file. */
const UNTRACKED = new Set([MANIFEST_FILE, '.env']);

/** The content of `.create-backend.json`. Holds no secret: answers are all non-secret choices. */
export interface ProjectManifest {
  readonly generator: { readonly name: 'create-backend'; readonly version: string };
  readonly stack: Answers['stack'];
  readonly features: readonly Feature[];
  readonly answers: Answers;
  readonly commands: ProjectCommands;
  /** sha256 (hex) of every generated file, so `add`/`update` can tell user edits apart. */
  readonly files: Readonly<Record<string, string>>;
}

/** sha256 of a file's bytes, hex. */
export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Builds the manifest for a generated tree. */
export function buildManifest(
  tree: Tree,
  meta: Omit<ProjectManifest, 'files' | 'generator'> & { readonly generatorVersion: string },
): ProjectManifest {
  const files: Record<string, string> = {};
  for (const path of tree.paths()) {
    if (!UNTRACKED.has(path)) files[path] = sha256(tree.get(path)!.content);
  }
  return {
    generator: { name: 'create-backend', version: meta.generatorVersion },
    stack: meta.stack,
    features: meta.features,
    answers: meta.answers,
    commands: meta.commands,
    files,
  };
}
