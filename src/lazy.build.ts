/* The published build's version of `lazy.ts`: each part is its own CommonJS bundle next to the
 * CLI, loaded with require(), which costs far less start-up time than the ES module loader. */
import type { lazy as devLazy, TemplateGroupModule } from './lazy.js';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { ReadyMade } from './engine/ready-made.js';
import type { BundledFile } from './engine/template-bundle.js';

/** A template group's JSON (scripts/build.ts). */
interface GroupData {
  readonly layers: Record<string, BundledFile[]>;
  readonly versions: Record<string, string>;
  /** Per layer, the templates in the order of the group's JavaScript module. */
  readonly templates: Record<string, { path: string; mode: number }[]>;
  /** Keys of the manifests merged at build time. */
  readonly premerged: string[];
  /** The databases that have a `<group>.<db>.ready.json.br`. */
  readonly readyMade: string[];
}

declare const require: (id: string) => unknown;
declare const __dirname: string;

const load = <T>(file: string) => async (): Promise<T> => require(file) as T;
// A variable, so the bundler leaves the require to run time instead of trying to resolve it.
const templatesDir = './templates/';

export const lazy: typeof devLazy = {
  interactive: load('./interactive.cjs'),
  tasks: load('./tasks.cjs'),
  mergeYaml: load('./merge-yaml.cjs'),
  mergeToml: load('./merge-toml.cjs'),
  merge3Yaml: load('./merge3-yaml.cjs'),
  git: load('./git-base.cjs'),
  merge3: load('./merge3.cjs'),
  projectCommands: load('./project-commands.cjs'),
  // A group is its static files and the list of its templates (JSON, which loads faster than the
  // same text compiled as JavaScript), its precompiled templates (JavaScript, required only when
  // a template runs) and, for a stack, its ready-made new-project renders (read on first use).
  templateGroup: async (group: string) => {
    const data = JSON.parse(readFileSync(join(__dirname, 'templates', `${group}.json`), 'utf8')) as GroupData;
    let code: Pick<TemplateGroupModule, 'layers' | 'premerged'> | undefined;
    const codeOf = (): Pick<TemplateGroupModule, 'layers' | 'premerged'> => (code ??= require(`${templatesDir}${group}.cjs`) as Pick<TemplateGroupModule, 'layers' | 'premerged'>);
    const layers: Record<string, BundledFile[]> = {};
    for (const [layer, files] of Object.entries(data.layers)) {
      const templates = (data.templates[layer] ?? []).map((f, i) => ({ ...f, template: () => codeOf().layers[layer]![i]!.template!() }));
      layers[layer] = [...files, ...templates];
    }
    const premerged = Object.fromEntries(data.premerged.map((key) => [key, () => codeOf().premerged[key]!()]));
    const readyMade = (db: string): ReadyMade | undefined =>
      data.readyMade.includes(db) ? (JSON.parse(brotliDecompressSync(readFileSync(join(__dirname, 'templates', `${group}.${db}.ready.json.br`))).toString('utf8')) as ReadyMade) : undefined;
    return { layers, versions: data.versions, premerged, ...(data.readyMade.length > 0 ? { readyMade } : {}) };
  },
};
export type { TemplateGroupModule };
