import { TemplateError } from '../errors.js';
import { lazy } from '../lazy.js';

import { deepMerge, envKeyOf, type Json, type Merger } from './deep-merge.js';

export { deepMerge, type Json, type Merger };

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
 * A feature's README text joins the base README as its own sections, inserted before the base's
 * last section (which stays last), so the base describes no feature, each feature brings its own
 * documentation, and text a user appends at the end never touches the lines a feature adds.
 */
const insertSections: Merger = (base, overlay) => {
  const lines = base.replace(/\n*$/, '').split('\n');
  const last = lines.findLastIndex((line) => line.startsWith('## '));
  const added = overlay.replace(/^\n+/, '').replace(/\n*$/, '').split('\n');
  if (last < 0) return `${[...lines, '', ...added].join('\n')}\n`;
  return `${[...lines.slice(0, last), ...added, '', ...lines.slice(last)].join('\n')}\n`;
};


/**
 * Merges dotenv files by key: a key the base already has takes the overlay's value in place;
 * new keys are appended together with the comment lines that introduce them.
 */
export const mergeEnv: Merger = (base, overlay) => {
  const lines = base.replace(/\n*$/, '').split('\n');
  const indexOf = new Map<string, number>();
  lines.forEach((line, i) => {
    const key = envKeyOf(line);
    if (key) indexOf.set(key, i);
  });
  let pending: string[] = [];
  const appended: string[] = [];
  for (const line of overlay.split('\n')) {
    const key = envKeyOf(line);
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
  // openapi.json: a layer (e.g. realtime) adds its paths to the shared document.
  if (file === 'package.json' || file === 'composer.json' || path === 'openapi.json') return 'json';
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
      return insertSections;
    default:
      return undefined;
  }
}
