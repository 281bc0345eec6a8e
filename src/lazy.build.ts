/* The published build's version of `lazy.ts`: each part is its own CommonJS bundle next to the
 * CLI, loaded with require(), which costs far less start-up time than the ES module loader. */
import type { lazy as devLazy, TemplateGroupModule } from './lazy.js';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BundledFile } from './engine/template-bundle.js';

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
  // A group is its precompiled templates (JavaScript) plus its static files (JSON, which loads
  // faster than the same text compiled as JavaScript).
  templateGroup: async (group: string) => {
    const code = require(`${templatesDir}${group}.cjs`) as Pick<TemplateGroupModule, 'layers' | 'premerged'>;
    const data = JSON.parse(readFileSync(join(__dirname, 'templates', `${group}.json`), 'utf8')) as Pick<TemplateGroupModule, 'layers' | 'versions'>;
    const layers: Record<string, BundledFile[]> = {};
    for (const [layer, files] of Object.entries(data.layers)) layers[layer] = [...files, ...(code.layers[layer] ?? [])];
    return { layers, versions: data.versions, premerged: code.premerged };
  },
};
export type { TemplateGroupModule };
