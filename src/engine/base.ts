import { sha256 } from './manifest.js';
import type { Tree } from './tree.js';

/**
 * What the base of a three-way merge knows about one path: the file was not in the base at all,
 * its pristine content is known, or it was generated but its pristine content is lost.
 */
export type BaseEntry = { readonly kind: 'absent' } | { readonly kind: 'known'; readonly content: Buffer } | { readonly kind: 'unknown' };

/** The base of a merge: the pristine render the project's files were made from. */
export interface BaseSource {
  /** Every path the base had. */
  paths(): readonly string[];
  get(path: string): BaseEntry;
}

const ABSENT: BaseEntry = { kind: 'absent' };
const UNKNOWN: BaseEntry = { kind: 'unknown' };

/** No base: a new project, or files we never generated. */
export const emptyBase: BaseSource = { paths: () => [], get: () => ABSENT };

/**
 * A base whose content is known: a re-render of the recorded recipe, or the pristine tree kept
 * in git. With the manifest's hashes, a file whose content disagrees with its recorded hash is
 * not trusted (the recording and the render differ), and the next source decides.
 */
export function treeBase(tree: Tree, hashes?: Readonly<Record<string, string>>, fallback: BaseSource = emptyBase): BaseSource {
  return {
    paths: () => [...new Set([...tree.paths().filter((p) => !hashes || p in hashes), ...fallback.paths()])].sort(),
    get(path) {
      const file = tree.get(path);
      if (file && (!hashes || hashes[path] === sha256(file.content))) return { kind: 'known', content: file.content };
      return fallback.get(path);
    },
  };
}

/**
 * The last resort when no pristine content survives: the manifest's hashes. A file on disk whose
 * hash is the recorded one is untouched, so it is its own base; any other generated file has a
 * lost base, and every difference in it becomes a conflict rather than a guess.
 */
export function hashBase(hashes: Readonly<Record<string, string>>, readOurs: (path: string) => Buffer | undefined): BaseSource {
  return {
    paths: () => Object.keys(hashes).sort(),
    get(path) {
      const hash = hashes[path];
      if (hash === undefined) return ABSENT;
      const ours = readOurs(path);
      return ours !== undefined && sha256(ours) === hash ? { kind: 'known', content: ours } : UNKNOWN;
    },
  };
}
