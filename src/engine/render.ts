import { TemplateError } from '../errors.js';
import { resourcePath, type ResourceContext } from '../resources/context.js';
import type { PackageManagerContext } from '../stacks/package-manager.js';
import { isResourceLayer, type Feature } from '../stacks/features.js';
import { mergeKind, mergerFor } from './merge.js';
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
  /** Which optional features the project has. */
  readonly features: Readonly<Record<Feature, boolean>>;
  /** Every resource of the recipe, in order (`notes` first). */
  readonly resources: readonly ResourceContext[];
  /** How the project's README tells its users to run create-backend (`npx <package>`). */
  readonly cli: string;
  /** The service mostly pushes live updates (`--workload realtime`): it gets an event stream. */
  readonly realtime: boolean;
  /** `--admin yes` on Django: the Django admin, mounted at a path from the environment. */
  readonly admin: boolean;
  /** `--sensitive-data yes`: shorter-lived access tokens and a log of authentication events. */
  readonly sensitiveData: boolean;
  /** What a Node project's documentation, CI and Dockerfile run: npm, pnpm, Yarn or Bun. */
  readonly pm: PackageManagerContext;
  /** The resource being rendered: set only in `resource` layers. */
  readonly resource?: ResourceContext;
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

/** The file of one layer that emits a given output path. */
interface Source {
  readonly layer: string;
  readonly file: BundledFile;
  readonly context: TemplateContext;
}

/** Key of a manifest merged at build time: the output path and the layers that emit it. */
export function premergedKey(path: string, layers: readonly string[]): string {
  return `${path}|${layers.join('+')}`;
}

/**
 * Renders the given layers, in order, into a new tree. A path emitted by several layers is a
 * manifest merged structurally: with the template merged at build time when the bundle has one
 * for exactly these layers, otherwise by rendering each and merging the results. Any other path
 * emitted twice is a template bug.
 */
export async function renderLayers(bundle: TemplateBundle, layers: readonly string[], context: TemplateContext): Promise<Tree> {
  const sources = new Map<string, Source[]>();
  const add = (path: string, source: Source): void => {
    const list = sources.get(path) ?? [];
    list.push(source);
    sources.set(path, list);
  };
  for (const layer of layers) {
    for (const file of bundle.layers[layer] ?? []) {
      if (!isResourceLayer(layer)) {
        add(outputPath(file.path), { layer, file, context });
        continue;
      }
      // A resource layer renders once per resource, its paths naming the resource.
      for (const resource of context.resources) {
        let path: string;
        try {
          path = outputPath(resourcePath(file.path, resource));
        } catch (error) {
          throw new TemplateError(`Template ${layer}/${file.path}: ${(error as Error).message}`);
        }
        add(path, { layer, file, context: { ...context, resource } });
      }
    }
  }
  const tree = new Tree();
  for (const [path, list] of sources) {
    const first = list[0]!;
    if (list.length === 1) {
      tree.write(path, fileContent(first.file, first.layer, first.context), first.file.mode);
      continue;
    }
    if (!mergeKind(path)) throw new TemplateError(`Layers ${list.map((s) => s.layer).join(' and ')} both emit ${path}, which is not a mergeable manifest.`);
    const key = premergedKey(path, list.map((s) => s.layer));
    const premerged = bundle.premerged?.[key];
    if (premerged) {
      tree.write(path, fileContent({ path, mode: first.file.mode, template: premerged }, key, context), first.file.mode);
      continue;
    }
    const merge = (await mergerFor(path))!;
    const texts = list.map((s) => fileContent(s.file, s.layer, s.context).toString('utf8'));
    tree.write(path, texts.reduce((base, next) => merge(base, next, path)), first.file.mode);
  }
  return tree;
}
