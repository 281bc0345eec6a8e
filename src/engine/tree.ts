import { TemplateError } from '../errors.js';

/** A file held in memory until the one write to disk. */
export interface TreeFile {
  readonly content: Buffer;
  /** POSIX permission bits, e.g. 0o644 or 0o755 for scripts. */
  readonly mode: number;
}

/**
 * The virtual file tree every generator writes into. Nothing touches the disk until
 * `writePlan` commits it, so a crash or Ctrl-C during generation changes nothing.
 */
export class Tree {
  readonly #files = new Map<string, TreeFile>();

  /** Adds or replaces a file. Paths are POSIX, relative, and may not leave the tree. */
  write(path: string, content: string | Buffer, mode = 0o644): void {
    this.#files.set(normalizePath(path), {
      content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
      mode,
    });
  }

  /** The file at `path`, or `undefined`. */
  get(path: string): TreeFile | undefined {
    return this.#files.get(normalizePath(path));
  }

  /** The text of the file at `path`, or `undefined`. */
  read(path: string): string | undefined {
    return this.get(path)?.content.toString('utf8');
  }

  has(path: string): boolean {
    return this.#files.has(normalizePath(path));
  }

  delete(path: string): void {
    this.#files.delete(normalizePath(path));
  }

  /** A copy that can change without changing this tree (file contents are shared, never mutated). */
  clone(): Tree {
    const copy = new Tree();
    for (const [path, file] of this.#files) copy.#files.set(path, file);
    return copy;
  }

  /** All paths, sorted, so every listing and hash is deterministic. */
  paths(): string[] {
    return [...this.#files.keys()].sort();
  }
}

/** Rejects absolute paths and `..` so no template or generator can write outside the project. */
export function normalizePath(path: string): string {
  const parts = path.replaceAll('\\', '/').split('/').filter((p) => p !== '' && p !== '.');
  if (path.startsWith('/') || parts.includes('..') || parts.length === 0) {
    throw new TemplateError(`Refusing to write outside the project: "${path}".`);
  }
  return parts.join('/');
}
