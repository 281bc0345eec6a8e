import { TemplateError } from '../errors.js';
import { lazy } from '../lazy.js';

/** Merges the text of a manifest emitted by a later layer into the text an earlier layer emitted. */
export type Merger = (base: string, overlay: string, path: string) => string;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge: objects by key (base order kept, new keys appended), arrays as a union, scalars overridden. */
export function deepMerge(base: Json, overlay: Json): Json {
  if (isObject(base) && isObject(overlay)) {
    const out: Record<string, Json> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
      out[key] = key in base ? deepMerge(base[key]!, value) : value;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(overlay)) {
    const seen = new Set(base.map((v) => JSON.stringify(v)));
    return [...base, ...overlay.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  return overlay;
}

function parseJson(text: string, path: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new TemplateError(`Template ${path} is not valid JSON.`, { cause: error });
  }
}

const mergeJson: Merger = (base, overlay, path) =>
  `${JSON.stringify(deepMerge(parseJson(base, path), parseJson(overlay, path)), null, 2)}\n`;

/** Appends the lines of the overlay that the base does not have yet (ignore files, requirements). */
const mergeLines: Merger = (base, overlay) => {
  const have = new Set(base.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
  const add = overlay.split('\n').filter((l) => {
    const t = l.trim();
    return t === '' || t.startsWith('#') || !have.has(t);
  });
  return `${base.replace(/\n*$/, '\n')}\n${add.join('\n').replace(/^\n+/, '').replace(/\n*$/, '\n')}`;
};

/**
 * A feature's README text is appended to the base README as its own sections, so the base
 * describes no feature and each feature brings its own documentation.
 */
const appendSections: Merger = (base, overlay) => `${base.replace(/\n*$/, '\n')}\n${overlay.replace(/^\n+/, '').replace(/\n*$/, '\n')}`;

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

/**
 * Merges dotenv files by key: a key the base already has takes the overlay's value in place;
 * new keys are appended together with the comment lines that introduce them.
 */
export const mergeEnv: Merger = (base, overlay) => {
  const lines = base.replace(/\n*$/, '').split('\n');
  const indexOf = new Map<string, number>();
  lines.forEach((line, i) => {
    const key = ENV_LINE.exec(line)?.[1];
    if (key) indexOf.set(key, i);
  });
  let pending: string[] = [];
  const appended: string[] = [];
  for (const line of overlay.split('\n')) {
    const key = ENV_LINE.exec(line)?.[1];
    if (!key) {
      pending.push(line);
      continue;
    }
    const at = indexOf.get(key);
    if (at === undefined) appended.push(...pending, line);
    else lines[at] = line;
    pending = [];
  }
  const tail = appended.join('\n').replace(/^\n+/, '');
  return `${lines.join('\n')}\n${tail ? `\n${tail}\n` : ''}`;
};

/** The kinds of manifest that several layers may emit and that are merged structurally. */
export type MergeKind = 'json' | 'yaml' | 'toml' | 'env' | 'lines' | 'markdown';

/** The merge kind of a path, or `undefined` when two layers must never emit the same path. */
export function mergeKind(path: string): MergeKind | undefined {
  const file = path.split('/').pop()!;
  if (file === 'package.json' || file === 'composer.json') return 'json';
  if (file === 'compose.yaml' || file === 'compose.yml' || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'yaml';
  if (file === 'README.md') return 'markdown';
  if (file === 'pyproject.toml') return 'toml';
  if (file === '.env.example') return 'env';
  if (file === '.gitignore' || file === '.dockerignore' || /^requirements.*\.txt$/.test(file)) return 'lines';
  return undefined;
}

/**
 * The merger for a manifest path, or `undefined` when two layers must never emit the same path.
 * The YAML and TOML libraries are loaded only when such a merge actually happens: the YAML one
 * alone costs more start-up time than generating a project.
 */
export async function mergerFor(path: string): Promise<Merger | undefined> {
  switch (mergeKind(path)) {
    case 'json':
      return mergeJson;
    case 'yaml':
      return (await lazy.mergeYaml()).mergeYaml;
    case 'toml':
      return (await lazy.mergeToml()).mergeToml;
    case 'env':
      return mergeEnv;
    case 'lines':
      return mergeLines;
    case 'markdown':
      return appendSections;
    default:
      return undefined;
  }
}
