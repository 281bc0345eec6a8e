import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { mergeValues, StructuralConflict, type StructuralMerger } from './merge3-structured.js';

/** A value as plain data, for comparisons; `undefined` when the key is absent. */
const plain = (node: unknown): unknown => (isNode(node) ? node.toJSON() : node);
const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new StructuralConflict(`not valid YAML: ${doc.errors[0]!.message}`);
  return doc;
}

/**
 * Applies the template's changes (base → theirs) to the user's map node by node, so the user's
 * keys, order and comments stay where they are.
 */
function mergeMap(doc: Document, base: Record<string, unknown>, ours: YAMLMap, theirs: YAMLMap, at: string): void {
  let anchor = -1;
  for (const pair of theirs.items) {
    const key = keyOf(pair);
    const name = `${at}.${String(key)}`;
    const index = ours.items.findIndex((p) => keyOf(p) === key);
    const mine = index >= 0 ? ours.items[index]! : undefined;
    if (mine) anchor = index;
    const b = isRecord(base) && typeof key === 'string' && key in base ? base[key] : undefined;
    const t = plain(pair.value);
    if (mine && isDeepStrictEqual(plain(mine.value), t)) continue;
    if (b === undefined) {
      if (!mine) {
        ours.items.splice(++anchor, 0, pair);
        continue;
      }
      if (isMap(mine.value) && isMap(pair.value)) mergeMap(doc, {}, mine.value, pair.value, name);
      else throw new StructuralConflict(`both sides added ${name}`);
      continue;
    }
    if (isDeepStrictEqual(b, t)) continue;
    if (!mine) throw new StructuralConflict(`${name} was removed here and changed by the template`);
    const o = plain(mine.value);
    if (isDeepStrictEqual(b, o)) mine.value = pair.value;
    else if (isMap(mine.value) && isMap(pair.value) && isRecord(b)) mergeMap(doc, b, mine.value, pair.value, name);
    else mine.value = doc.createNode(mergeValues(b as never, o as never, t as never, name));
  }
  if (!isRecord(base)) return;
  for (const key of Object.keys(base)) {
    if (theirs.items.some((p) => keyOf(p) === key)) continue;
    const index = ours.items.findIndex((p) => keyOf(p) === key);
    if (index < 0) continue;
    if (!isDeepStrictEqual(plain(ours.items[index]!.value), base[key])) throw new StructuralConflict(`${at}.${key} was changed here and removed by the template`);
    ours.items.splice(index, 1);
  }
}

/** YAML mappings (compose.yaml, workflows), keeping the user's comments and layout. */
export const mergeYaml3: StructuralMerger = (base, ours, theirs) => {
  const b = parse(base);
  const o = parse(ours);
  const t = parse(theirs);
  if (!isMap(o.contents) || !isMap(t.contents)) throw new StructuralConflict('only YAML mappings merge structurally');
  mergeMap(o, (plain(b.contents) ?? {}) as Record<string, unknown>, o.contents, t.contents, '');
  return o.toString({ lineWidth: 0, flowCollectionPadding: false });
};

/** Whether a text parses as YAML (a line merge can produce text that does not). */
export function isValidYaml(text: string): boolean {
  return parseDocument(text).errors.length === 0;
}
