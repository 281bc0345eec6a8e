import { join } from 'node:path';
import { hashBase, treeBase, type BaseSource } from '../engine/base.js';
import { renderRecipe } from '../engine/generate.js';
import type { TemplateBundle } from '../engine/template-bundle.js';
import { readIfExists } from '../engine/write.js';
import { ProjectError } from '../errors.js';
import { sha256 } from '../engine/manifest.js';
import { lazy } from '../lazy.js';
import type { ProjectState } from './manifest-file.js';

/** Where a recovered base came from, for the report. */
export type BaseOrigin = 'git' | 'render' | 'hashes';

/** The base of a project's next merge, and where it came from. */
export interface RecoveredBase {
  readonly base: BaseSource;
  readonly origin: BaseOrigin;
}

/**
 * Recovers the pristine render a project was made from, without network or old packages:
 * 1. the tree kept in the project's git repository under our ref (any generator version);
 * 2. a re-render of the recorded recipe, when this generator is the version that made it;
 * 3. the manifest's hashes alone: untouched files are their own base, edited ones have none.
 * Each file of 1 and 2 is trusted only if its hash is the one the manifest recorded.
 */
export async function recoverBase(project: ProjectState, options: { readonly bundle: TemplateBundle; readonly generatorVersion: string }): Promise<RecoveredBase> {
  const hashes = project.manifest.files;
  const byHash = hashBase(hashes, (path) => readIfExists(join(project.dir, path)));
  const { baseCommits, baseRef, findRepository, loadBase } = await lazy.git();
  const repo = findRepository(project.dir);
  const commits = repo ? baseCommits(repo) : [];
  let mismatch: string | undefined;
  for (const commit of commits) {
    const stored = loadBase(repo!, commit);
    if (!stored) continue;
    const differs = [...new Set([...stored.paths(), ...Object.keys(hashes)])].find((path) => hashes[path] !== (stored.has(path) ? sha256(stored.get(path)!.content) : undefined));
    if (differs === undefined) return { base: treeBase(stored, hashes, byHash), origin: 'git' };
    mismatch ??= differs;
  }
  if (mismatch !== undefined) {
    // No recorded base is the one the manifest describes: the manifest was edited by hand.
    throw new ProjectError(
      `The manifest's hash of ${mismatch} does not match any base recorded in git (${baseRef(repo!)}).`,
      'Restore .create-backend.json from version control (git checkout -- .create-backend.json).',
    );
  }
  if (project.manifest.generator.version === options.generatorVersion) {
    return { base: treeBase(await renderRecipe(project.recipe, options), hashes, byHash), origin: 'render' };
  }
  return { base: byHash, origin: 'hashes' };
}
