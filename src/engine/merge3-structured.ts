/**
 * Three-way merges that understand a file's structure, used when a line merge conflicts: a user's
 * added dependency, script or key survives next to the template's version bumps even when the
 * two are on neighbouring lines.
 */
import { isDeepStrictEqual } from 'node:util';
import { envKeyOf } from './deep-merge.js';

/** Thrown inside a structural merge when both sides changed the same value differently. */
export class StructuralConflict extends Error {}

/** A structural three-way merger: the merged text, or a {@link StructuralConflict}. */
export type StructuralMerger = (base: string, ours: string, theirs: string) => string;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A key that one side does not have. */
const ABSENT = Symbol('absent');
type Slot = Json | typeof ABSENT;

const isObject = (v: Slot): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: Slot, b: Slot): boolean => isDeepStrictEqual(a, b);

/** Keys of ours in their order, with theirs' new keys placed after the key they follow there. */
function orderedKeys(ours: Record<string, Json>, theirs: Record<string, Json>): string[] {
  const keys = Object.keys(ours);
  let after = -1;
  for (const key of Object.keys(theirs)) {
    const at = keys.indexOf(key);
    if (at >= 0) after = at;
    else keys.splice(++after, 0, key);
  }
  return keys;
}

/** Arrays of scalars merge as sets: each side's additions and removals both apply. */
function mergeArrays(base: Json[], ours: Json[], theirs: Json[]): Json[] {
  const has = (list: Json[], v: Json): boolean => list.some((x) => same(x, v));
  const removed = base.filter((v) => !has(theirs, v));
  const kept = ours.filter((v) => !has(removed, v));
  return [...kept, ...theirs.filter((v) => !has(base, v) && !has(kept, v))];
}

/** Merges one value three ways; `ABSENT` means the key is not there. */
export function mergeValues(base: Slot, ours: Slot, theirs: Slot, at = ''): Slot {
  if (same(ours, theirs)) return ours;
  if (same(base, ours)) return theirs;
  if (same(base, theirs)) return ours;
  if (isObject(ours) && isObject(theirs) && (isObject(base) || base === ABSENT)) {
    const b = isObject(base) ? base : {};
    const out: Record<string, Json> = {};
    for (const key of orderedKeys(ours, theirs)) {
      const merged = mergeValues(key in b ? b[key]! : ABSENT, key in ours ? ours[key]! : ABSENT, key in theirs ? theirs[key]! : ABSENT, `${at}.${key}`);
      if (merged !== ABSENT) out[key] = merged;
    }
    return out;
  }
  const scalars = (v: Slot): v is Json[] => Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
  if (scalars(ours) && scalars(theirs) && (scalars(base) || base === ABSENT)) return mergeArrays(scalars(base) ? base : [], ours, theirs);
  throw new StructuralConflict(`both sides changed ${at || 'the document'}`);
}

/** JSON documents (package.json, composer.json), written back with two-space indentation. */
export const mergeJson3: StructuralMerger = (base, ours, theirs) => {
  const parse = (text: string): Slot => (text.trim() === '' ? ABSENT : (JSON.parse(text) as Json));
  const merged = mergeValues(parse(base), parse(ours), parse(theirs));
  return merged === ABSENT ? '' : `${JSON.stringify(merged, null, 2)}\n`;
};

/** How a line-per-entry file names the entry on a line (`undefined`: a comment or blank line). */
export type LineKey = (line: string) => string | undefined;

/** `Django==5.2.1 ; python_version>"3.10"` → `django` (PEP 503 normalised name). */
export const requirementKey: LineKey = (line) => {
  const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line.replace(/#.*/, ''))?.[1];
  return name && !line.trimStart().startsWith('-') ? name.toLowerCase().replace(/[-_.]+/g, '-') : undefined;
};

/** `export KEY=value` → `KEY`. */
export const envKey: LineKey = envKeyOf;

/** An ignore file's entry is the pattern itself. */
export const patternKey: LineKey = (line) => {
  const t = line.trim();
  return t === '' || t.startsWith('#') ? undefined : t;
};

/**
 * Files of one entry per line (requirements, dotenv, ignore files), merged by entry: the result is
 * the user's file with the template's changes applied entry by entry — a changed entry is
 * replaced where the user did not change it, a removed one removed where the user did not change
 * it, and a new one inserted after the entry it follows in the template, with the comment lines
 * that introduce it.
 */
export function keyedLinesMerger(keyOf: LineKey): StructuralMerger {
  return (base, ours, theirs) => {
    const index = (text: string): Map<string, string> => {
      const map = new Map<string, string>();
      for (const line of text.split('\n')) {
        const key = keyOf(line);
        if (key !== undefined) map.set(key, line);
      }
      return map;
    };
    const b = index(base);
    const t = index(theirs);
    const lines = ours.replace(/\n$/, '').split('\n');
    const findLine = (key: string): number => lines.findIndex((l) => keyOf(l) === key);

    for (const [key, baseLine] of b) {
      const at = findLine(key);
      const theirsLine = t.get(key);
      if (at < 0 || theirsLine === baseLine) continue;
      if (lines[at] === baseLine) {
        if (theirsLine === undefined) lines.splice(at, 1);
        else lines[at] = theirsLine;
      } else if (theirsLine !== undefined && lines[at] !== theirsLine) {
        throw new StructuralConflict(`both sides changed ${key}`);
      }
    }
    // New entries, each with the comment lines just above it in the template.
    const theirsLines = theirs.replace(/\n$/, '').split('\n');
    let pending: string[] = [];
    let anchor = -1;
    for (const line of theirsLines) {
      const key = keyOf(line);
      if (key === undefined) {
        pending.push(line);
        continue;
      }
      const at = findLine(key);
      if (at >= 0) {
        if (!b.has(key) && lines[at] !== line) throw new StructuralConflict(`both sides added ${key}`);
        anchor = at;
      } else if (!b.has(key)) {
        const intro = pending.filter((p) => p.trim() === '' || !lines.includes(p));
        lines.splice(anchor + 1, 0, ...intro, line);
        anchor += intro.length + 1;
      }
      pending = [];
    }
    return `${lines.join('\n')}\n`;
  };
}
