/* The published build's version of `lazy.ts`: each part is its own CommonJS bundle next to the
 * CLI, loaded with require(), which costs far less start-up time than the ES module loader. */
import type { lazy as devLazy, TemplateGroupModule } from './lazy.js';

declare const require: (id: string) => unknown;

const load = <T>(file: string) => async (): Promise<T> => require(file) as T;
// A variable, so the bundler leaves the require to run time instead of trying to resolve it.
const templatesDir = './templates/';

export const lazy: typeof devLazy = {
  create: load('./create.cjs'),
  interactive: load('./interactive.cjs'),
  tasks: load('./tasks.cjs'),
  mergeYaml: load('./merge-yaml.cjs'),
  mergeToml: load('./merge-toml.cjs'),
  templateGroup: async (group: string) => require(`${templatesDir}${group}.cjs`) as TemplateGroupModule,
};
export type { TemplateGroupModule };
