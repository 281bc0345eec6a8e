import { lazy } from '../lazy.js';
import type { TemplateBundle } from './template-bundle.js';

/** Loads the embedded templates of the given groups (`shared` and a stack id) into one bundle. */
export async function loadTemplateBundle(groups: readonly string[]): Promise<TemplateBundle> {
  const loaded = await Promise.all(groups.map(async (group) => [group, await lazy.templateGroup(group)] as const));
  // Only a stack's group has ready-made renders (of the whole project, shared files included).
  const readyMade = loaded.find(([, m]) => m.readyMade)?.[1].readyMade;
  return {
    layers: Object.assign({}, ...loaded.map(([, m]) => m.layers)),
    versions: Object.fromEntries(loaded.map(([group, m]) => [group, m.versions])),
    premerged: Object.assign({}, ...loaded.map(([, m]) => m.premerged)),
    ...(readyMade ? { readyMade } : {}),
  };
}
