import { TemplateError } from '../errors.js';
import { mergerFor } from './merge.js';
import type { BundledFile, TemplateBundle } from './template-bundle.js';
import { Tree } from './tree.js';

/** The whole rendering context of a template (see docs/templates.md). */
export interface TemplateContext {
  readonly name: string;
  readonly snakeName: string;
  readonly db: 'sqlite' | 'postgres';
  readonly isPostgres: boolean;
  readonly generatorVersion: string;
  readonly versions: Readonly<Record<string, string>>;
}

/**
 * Maps a stored path to the emitted one: `.hbs` is dropped and a segment with exactly one
 * leading underscore becomes a dotfile (`_gitignore` → `.gitignore`), because npm strips some
 * dotfiles from published packages. `__init__.py` keeps its name.
 */
export function outputPath(stored: string): string {
  return stored
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => (/^_[A-Za-z]/.test(segment) ? `.${segment.slice(1)}` : segment))
    .join('/');
}

/**
 * Handlebars' strict mode misses variables used as helper arguments (`{{#if isPostgress}}`), so
 * the context itself refuses any lookup of a name it does not have.
 */
function strictContext<T extends object>(value: T, path = ''): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && !INHERENT_KEYS.has(key)) {
        throw new Error(`"${path}${key}" is not defined`);
      }
      const found = Reflect.get(target, key, receiver) as unknown;
      return typeof found === 'object' && found !== null && typeof key === 'string' ? strictContext(found, `${path}${key}.`) : found;
    },
  });
}

/** Names the Handlebars runtime itself may probe on any object. */
const INHERENT_KEYS = new Set(['constructor', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'toJSON', 'then', 'length']);

function fileContent(file: BundledFile, layer: string, context: TemplateContext): Buffer {
  if (file.template) {
    try {
      return Buffer.from(file.template()(strictContext(context)), 'utf8');
    } catch (error) {
      throw new TemplateError(`Template ${layer}/${file.path} failed to render: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (file.base64 !== undefined) return Buffer.from(file.base64, 'base64');
  return Buffer.from(file.text ?? '', 'utf8');
}

/**
 * Renders the given layers, in order, into a new tree. A path emitted by two layers is merged
 * structurally when it is a known manifest, and is a template bug otherwise.
 */
export function renderLayers(bundle: TemplateBundle, layers: readonly string[], context: TemplateContext): Tree {
  const tree = new Tree();
  for (const layer of layers) {
    for (const file of bundle.layers[layer] ?? []) {
      const path = outputPath(file.path);
      const content = fileContent(file, layer, context);
      const existing = tree.get(path);
      if (existing) {
        const merge = mergerFor(path);
        if (!merge) throw new TemplateError(`Layer ${layer} emits ${path}, which an earlier layer already emitted.`);
        tree.write(path, merge(existing.content.toString('utf8'), content.toString('utf8'), path), existing.mode);
      } else {
        tree.write(path, content, file.mode);
      }
    }
  }
  return tree;
}
