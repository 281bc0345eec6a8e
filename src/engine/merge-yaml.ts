import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import { TemplateError } from '../errors.js';
import type { Merger } from './deep-merge.js';

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

/** Deep-merges two YAML mappings (compose files), keeping the comments of both. */
export const mergeYaml: Merger = (base, overlay, path) => {
  const baseDoc = parseYaml(base, path);
  const overlayDoc = parseYaml(overlay, path);
  if (!isMap(baseDoc.contents) || !isMap(overlayDoc.contents)) {
    throw new TemplateError(`Template ${path}: only YAML mappings can be merged.`);
  }
  mergeYamlMaps(baseDoc.contents, overlayDoc.contents);
  return baseDoc.toString({ lineWidth: 0, flowCollectionPadding: false });
};
