import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { TemplateError } from '../errors.js';

/** Merges the text of a manifest emitted by a later layer into the text an earlier layer emitted. */
export type Merger = (base: string, overlay: string, path: string) => string;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

function parseYaml(text: string, path: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new TemplateError(`Template ${path} is not valid YAML: ${doc.errors[0]!.message}`);
  return doc;
}

/** Merges YAML maps node by node, so the comments of both layers survive. */
function mergeYamlMaps(base: YAMLMap, overlay: YAMLMap): void {
  // A comment above a map's first entry belongs to the map node, which the merge drops: move it
  // onto that entry's key so it travels with the entry.
  const first = overlay.items[0];
  if (overlay.commentBefore && first && isScalar(first.key)) {
    first.key.commentBefore = [overlay.commentBefore, first.key.commentBefore].filter(Boolean).join('\n');
    overlay.commentBefore = null;
  }
  for (const pair of overlay.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const existing = base.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
    if (existing && isMap(existing.value) && isMap(pair.value)) mergeYamlMaps(existing.value, pair.value);
    else if (existing) existing.value = pair.value;
    else base.items.push(pair);
  }
}

const mergeYaml: Merger = (base, overlay, path) => {
  const baseDoc = parseYaml(base, path);
  const overlayDoc = parseYaml(overlay, path);
  if (!isMap(baseDoc.contents) || !isMap(overlayDoc.contents)) {
    throw new TemplateError(`Template ${path}: only YAML mappings can be merged.`);
  }
  mergeYamlMaps(baseDoc.contents, overlayDoc.contents);
  return baseDoc.toString({ lineWidth: 0 });
};

const mergeToml: Merger = (base, overlay, path) => {
  try {
    const merged = deepMerge(parseToml(base) as Json, parseToml(overlay) as Json);
    return `${stringifyToml(merged as Record<string, unknown>)}\n`;
  } catch (error) {
    throw new TemplateError(`Template ${path} is not valid TOML.`, { cause: error });
  }
};

/** Appends the lines of the overlay that the base does not have yet (ignore files, requirements). */
const mergeLines: Merger = (base, overlay) => {
  const have = new Set(base.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
  const add = overlay.split('\n').filter((l) => {
    const t = l.trim();
    return t === '' || t.startsWith('#') || !have.has(t);
  });
  return `${base.replace(/\n*$/, '\n')}\n${add.join('\n').replace(/^\n+/, '').replace(/\n*$/, '\n')}`;
};

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

/** The merger for a manifest path, or `undefined` when two layers must never emit the same path. */
export function mergerFor(path: string): Merger | undefined {
  const file = path.split('/').pop()!;
  if (file === 'package.json' || file === 'composer.json') return mergeJson;
  if (file === 'compose.yaml' || file === 'compose.yml') return mergeYaml;
  if (file === 'pyproject.toml') return mergeToml;
  if (file === '.env.example') return mergeEnv;
  if (file === '.gitignore' || file === '.dockerignore' || /^requirements.*\.txt$/.test(file)) return mergeLines;
  return undefined;
}
