/**
 * Builds the published CLI: embeds `templates/` (with every `.hbs` precompiled, so generation
 * never parses a template) into `src/generated/`, then bundles everything into `dist/` with
 * esbuild so the installed package has no runtime dependency to resolve.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { mergeKind, mergerFor } from '../src/engine/merge.js';
import { outputPath, premergedKey } from '../src/engine/render.js';
import { FEATURE_IDS, layersFor } from '../src/stacks/features.js';
import { STACKS } from '../src/stacks/stacks.js';

const root = join(import.meta.dirname, '..');
const templatesDir = join(root, 'templates');
const generatedDir = join(root, 'src', 'generated');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Writes a file by renaming a finished copy over it, so a test or a second build reading
 * `src/generated/` while this one runs never sees a half-written file.
 */
function writeAtomic(path: string, content: string | Buffer): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, path);
}

/** Deletes the files of `dir` this build did not write (a removed template group). */
function removeStale(dir: string, written: ReadonlySet<string>): void {
  for (const file of readdirSync(dir)) if (!written.has(file) && !file.endsWith('.partial')) rmSync(join(dir, file), { force: true });
}

/**
 * One build at a time in a checkout: parallel test runs each build first, and two builds
 * swapping `dist/` and `src/generated/` under each other would leave a mix. A lock older than
 * two minutes is from a build that died.
 */
async function withBuildLock(run: () => Promise<void>): Promise<void> {
  const lock = join(root, '.build.lock');
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await run();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isText(buffer: Buffer): boolean {
  return !buffer.includes(0) && Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
}

/**
 * Strict (a missing variable is an error), no HTML escaping (nothing we render is HTML), and only
 * the built-in helpers: the compiled code then calls them directly instead of probing for
 * helpers at every mustache, which makes it smaller and faster to load and run.
 */
const PRECOMPILE_OPTIONS = { strict: true, noEscape: true, knownHelpersOnly: true } as const;

/**
 * Precompiles a template and trims what the generated code repeats in every block: source
 * locations (only error messages use them, and the renderer names a missing variable itself)
 * and the same property-lookup fallback per function, replaced by one shared function
 * (`ownProperty`, defined once per module). A fifth of the embedded templates' size, which is
 * start-up time: every run loads and compiles them.
 */
function precompile(source: string): string {
  return (Handlebars.precompile(source, PRECOMPILE_OPTIONS) as string)
    .replace(/\{"start":\{"line":\d+,"column":\d+\},"end":\{"line":\d+,"column":\d+\}\}/g, 'null')
    .replace(
      /lookupProperty = container\.lookupProperty \|\| function\(parent, propertyName\) \{\s*if \(Object\.prototype\.hasOwnProperty\.call\(parent, propertyName\)\) \{\s*return parent\[propertyName\];\s*\}\s*return undefined\s*\};/g,
      'lookupProperty = container.lookupProperty || ownProperty;',
    );
}

/** Exact versions only: a range would make two generations of the same answers differ. */
function checkVersions(file: string): Record<string, string> {
  const versions = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [key, value] of Object.entries(versions)) {
    if (!/^[A-Za-z0-9_]+$/.test(key) || typeof value !== 'string' || /^[\^~<>=*]|\s|\|\|/.test(value) || value === '') {
      throw new Error(`${relative(root, file)}: "${key}": "${value}" must be an exact version under an identifier key`);
    }
  }
  return versions;
}

/** One embedded file: JavaScript source for a template, plain data for everything else. */
type Embedded = { kind: 'template'; code: string; path: string; mode: number } | { kind: 'data'; data: { path: string; mode: number; text?: string; base64?: string } };

function embedLayerFiles(layerDir: string, label: string): Embedded[] {
  return walk(layerDir).map((file): Embedded => {
    const path = relative(layerDir, file).split('\\').join('/');
    const mode = statSync(file).mode & 0o111 ? 0o755 : 0o644;
    const content = readFileSync(file);
    if (path.endsWith('.hbs')) {
      let spec: string;
      try {
        spec = precompile(content.toString('utf8'));
      } catch (error) {
        throw new Error(`templates/${label}/${path}: ${(error as Error).message}`);
      }
      return { kind: 'template', code: `{ path: ${JSON.stringify(path)}, mode: ${mode}, template: lazy(${spec}) }`, path, mode };
    }
    return { kind: 'data', data: isText(content) ? { path, mode, text: content.toString('utf8') } : { path, mode, base64: content.toString('base64') } };
  });
}

/**
 * Merges, at build time, the YAML manifests (compose.yaml) that several layers of a stack emit,
 * so generation need not load a YAML library. Handlebars expressions are swapped for inert
 * tokens while the YAML is merged, then put back, and the result is precompiled like any
 * template. A manifest whose sources do not allow this (literal braces in a static file, YAML
 * that only parses once rendered) is left to the run-time merge, which gives the same result;
 * a test compares the two.
 */
async function premergeStack(stack: string): Promise<{ key: string; spec: string }[]> {
  const sources = new Map<string, { layer: string; text: string; template: boolean }[]>();
  for (const layer of layersFor(stack as keyof typeof STACKS, FEATURE_IDS)) {
    const layerDir = join(templatesDir, layer);
    let files: string[] = [];
    try {
      files = walk(layerDir);
    } catch {
      continue;
    }
    for (const file of files) {
      const stored = relative(layerDir, file).split('\\').join('/');
      const path = outputPath(stored);
      const list = sources.get(path) ?? [];
      list.push({ layer, text: readFileSync(file, 'utf8'), template: stored.endsWith('.hbs') });
      sources.set(path, list);
    }
  }
  const entries: { key: string; spec: string }[] = [];
  for (const [path, list] of sources) {
    if (list.length < 2 || mergeKind(path) !== 'yaml') continue;
    if (list.some((s) => !s.template && s.text.includes('{{'))) continue;
    const expressions: string[] = [];
    const protect = (text: string): string => text.replace(/\{\{[\s\S]*?\}\}/g, (expr) => `cbhbs${expressions.push(expr) - 1}x`);
    let merged: string;
    try {
      const merge = (await mergerFor(path))!;
      merged = list.map((s) => protect(s.text)).reduce((base, next) => merge(base, next, path));
    } catch {
      continue;
    }
    const restored = merged.replace(/cbhbs(\d+)x/g, (_m, i: string) => expressions[Number(i)]!);
    if (/cbhbs\d+x/.test(restored) || expressions.some((e) => !restored.includes(e))) continue;
    entries.push({ key: premergedKey(path, list.map((s) => s.layer)), spec: precompile(restored) });
  }
  return entries;
}

/** A template group, embedded: a module with everything (development and tests), and for the
 * published build a module with only the precompiled templates plus the static files as JSON,
 * which Node reads and parses faster than it compiles the same text as JavaScript. */
interface EmbeddedGroup {
  readonly devModule: string;
  readonly buildModule: string;
  readonly data: {
    layers: Record<string, unknown[]>;
    versions: Record<string, string>;
    /** Per layer, each template's path and mode, in the order of the JavaScript module. */
    templates: Record<string, { path: string; mode: number }[]>;
    premerged: string[];
    /** Databases with ready-made renders (added by embedReadyMade). */
    readyMade: string[];
  };
}

async function embedGroup(group: string): Promise<EmbeddedGroup> {
  const groupDir = join(templatesDir, group);
  const all: string[] = [];
  const templatesOnly: string[] = [];
  const data: EmbeddedGroup['data'] = { layers: {}, versions: {}, templates: {}, premerged: [], readyMade: [] };
  for (const entry of readdirSync(groupDir).sort()) {
    const path = join(groupDir, entry);
    if (entry === 'versions.json') data.versions = checkVersions(path);
    else if (statSync(path).isDirectory()) {
      const layer = `${group}/${entry}`;
      const files = embedLayerFiles(path, layer);
      const code = (f: Embedded): string => (f.kind === 'template' ? f.code : JSON.stringify(f.data));
      all.push(`${JSON.stringify(layer)}: [\n${files.map(code).join(',\n')}\n]`);
      templatesOnly.push(`${JSON.stringify(layer)}: [\n${files.filter((f) => f.kind === 'template').map(code).join(',\n')}\n]`);
      data.layers[layer] = files.flatMap((f) => (f.kind === 'data' ? [f.data] : []));
      data.templates[layer] = files.flatMap((f) => (f.kind === 'template' ? [{ path: f.path, mode: f.mode }] : []));
    }
  }
  if (group !== 'shared' && Object.keys(data.versions).length > 0) {
    const shared = checkVersions(join(templatesDir, 'shared', 'versions.json'));
    const both = Object.keys(data.versions).filter((key) => key in shared);
    // One place per pin: a key in both maps could drift between stacks.
    if (both.length > 0) throw new Error(`templates/${group}/versions.json repeats ${both.join(', ')} from templates/shared/versions.json`);
  }
  const premerged = group in STACKS ? await premergeStack(group) : [];
  data.premerged = premerged.map((p) => p.key);
  const needsRuntime = premerged.length > 0 || templatesOnly.some((l) => l.includes('template: lazy('));
  // Only groups with templates load the Handlebars runtime.
  const header = `// @ts-nocheck -- generated by scripts/build.ts from templates/${group}; do not edit.
${needsRuntime ? `import Handlebars from 'handlebars/runtime';

// Turning a precompiled spec into a function costs time; only the templates used pay it.
const ownProperty = (parent, name) => (Object.prototype.hasOwnProperty.call(parent, name) ? parent[name] : undefined);
const lazy = (spec) => {
  let fn;
  return () => (fn ??= Handlebars.template(spec));
};
` : ''}`;
  const tail = `export const premerged = {\n${premerged.map((p) => `${JSON.stringify(p.key)}: lazy(${p.spec})`).join(',\n')}\n};\n`;
  return {
    devModule: `${header}\nexport const layers = {\n${all.join(',\n')}\n};\nexport const versions = ${JSON.stringify(data.versions)};\n${tail}`,
    buildModule: `${header}\nexport const layers = {\n${templatesOnly.join(',\n')}\n};\n${tail}`,
    data,
  };
}

async function embedTemplates(): Promise<void> {
  const groups = readdirSync(templatesDir).filter((g) => statSync(join(templatesDir, g)).isDirectory()).sort();
  const out = join(generatedDir, 'templates');
  mkdirSync(out, { recursive: true });
  const bundledOut = join(generatedDir, 'templates-bundled');
  mkdirSync(bundledOut, { recursive: true });
  const written = { out: new Set<string>(['groups.ts']), bundled: new Set<string>() };
  for (const group of groups) {
    const embedded = await embedGroup(group);
    writeAtomic(join(out, `${group}.ts`), embedded.devModule);
    writeAtomic(join(bundledOut, `${group}.ts`), embedded.buildModule);
    writeAtomic(join(bundledOut, `${group}.json`), JSON.stringify(embedded.data));
    written.out.add(`${group}.ts`);
    for (const suffix of ['.ts', '.json', '.sqlite.ready.json.br', '.postgres.ready.json.br']) written.bundled.add(`${group}${suffix}`);
  }
  removeStale(out, written.out);
  removeStale(bundledOut, written.bundled);
  writeAtomic(
    join(out, 'groups.ts'),
    `// Generated by scripts/build.ts; do not edit.
import type { TemplateGroupModule } from '../../lazy.js';

/** The template groups that exist (\`shared\` and one per stack). */
export const TEMPLATE_GROUPS: readonly string[] = ${JSON.stringify(groups)};

/** Loads one group's module (development and tests; the published build requires its bundle). */
export const templateGroupLoaders: Readonly<Record<string, () => Promise<TemplateGroupModule>>> = {
${groups.map((g) => `  ${JSON.stringify(g)}: () => import('./${g}.js') as Promise<TemplateGroupModule>,`).join('\n')}
};
`,
  );
}

function writeVersion(): void {
  writeAtomic(
    join(generatedDir, 'version.ts'),
    `/** Version of create-backend (generated from package.json). */\nexport const VERSION = ${JSON.stringify(pkg.version)};\n/** The name it is published under (the command is \`create-backend\`). */\nexport const PACKAGE_NAME = ${JSON.stringify(pkg.name)};\n`,
  );
}

/** Profile answers do not reach the templates (only name, database and features do). */
const NEUTRAL_PROFILE = { workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container' } as const;

/**
 * Makes each stack's ready-made new-project renders (src/engine/ready-made.ts) with the engine
 * itself, from the templates just embedded: exactly what rendering at run time gives.
 */
async function embedReadyMade(): Promise<void> {
  const { renderRecipe } = await import('../src/engine/generate.js');
  const { loadTemplateBundle } = await import('../src/engine/template-loader.js');
  const { makeReadyMade } = await import('../src/engine/ready-made.js');
  const { newRecipe } = await import('../src/recipe/recipe.js');
  const bundledOut = join(generatedDir, 'templates-bundled');
  for (const stack of Object.values(STACKS).filter((s) => !s.unavailable)) {
    const bundle = await loadTemplateBundle(['shared', stack.id]);
    const dbs: string[] = [];
    for (const db of ['sqlite', 'postgres'] as const) {
      const { readyMade, skipped } = await makeReadyMade(
        (name, features) => renderRecipe(newRecipe({ ...NEUTRAL_PROFILE, name, stack: stack.id, db, features }), { bundle, generatorVersion: pkg.version }),
        db,
        pkg.version,
      );
      if (skipped.length > 0) console.warn(`${stack.id}: rendered at run time, a template depends on the name's spelling or length: ${skipped.join(' ')}`);
      // One file per database (a run reads only the renders it can use), Brotli-compressed: the
      // variants repeat each other, so this is a sixth of the size for a millisecond to unpack.
      writeAtomic(join(bundledOut, `${stack.id}.${db}.ready.json.br`), brotliCompressSync(JSON.stringify(readyMade)));
      dbs.push(db);
    }
    const dataFile = join(bundledOut, `${stack.id}.json`);
    writeAtomic(dataFile, JSON.stringify({ ...(JSON.parse(readFileSync(dataFile, 'utf8')) as object), readyMade: dbs }));
  }
}

/**
 * The published CLI is a set of CommonJS bundles loaded with require(): the entry holds what
 * every command needs, including the generator; the prompts, the task runner, the YAML and TOML
 * mergers and each template group are separate files that load on first use
 * (`src/lazy.build.ts`). CommonJS because Node's ES module loader alone costs more start-up time
 * than any of our commands, and because esbuild only splits ES modules.
 */
async function bundle(): Promise<void> {
  // Built beside dist/ and swapped in at the end, so a CLI run or test reading dist/ while a
  // build runs sees the old build or the new one, never a half-written one.
  const dist = join(root, `.dist-${process.pid}`);
  rmSync(dist, { recursive: true, force: true });
  const entries: Record<string, string> = {
    cli: 'src/cli.ts',
    interactive: 'src/cli/interactive.ts',
    tasks: 'src/tasks/post-write.ts',
    'merge-yaml': 'src/engine/merge-yaml.ts',
    'merge-toml': 'src/engine/merge-toml.ts',
    'merge3-yaml': 'src/engine/merge3-yaml.ts',
    'git-base': 'src/project/git-base.ts',
    merge3: 'src/engine/merge3.ts',
    'project-commands': 'src/cli/project-commands-entry.ts',
    ...Object.fromEntries(
      readdirSync(join(generatedDir, 'templates-bundled'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => [`templates/${f.replace(/\.ts$/, '')}`, `src/generated/templates-bundled/${f}`]),
    ),
  };
  await Promise.all(
    Object.entries(entries).map(([name, entry]) =>
      build({
        entryPoints: [join(root, entry)],
        outfile: join(dist, `${name}.cjs`),
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        minify: !process.argv.includes('--debug'),
        // Error class names are part of --verbose output.
        keepNames: true,
        legalComments: 'linked',
        banner: name === 'cli' ? { js: '#!/usr/bin/env node' } : {},
        alias: {
          // yaml's CommonJS entry makes esbuild keep all of it; its ESM build lets the bundle keep what we use.
          yaml: join(root, 'node_modules', 'yaml', 'browser', 'index.js'),
        },
        plugins: [
          {
            name: 'lazy-parts-from-files',
            setup(b) {
              b.onResolve({ filter: /\/lazy\.js$/ }, () => ({ path: join(root, 'src', 'lazy.build.ts') }));
              // The other bundles, required at run time.
              b.onResolve({ filter: /\.cjs$/ }, (args) => ({ path: args.path, external: true }));
            },
          },
        ],
        logLevel: 'warning',
      }),
    ),
  );
  for (const file of readdirSync(join(generatedDir, 'templates-bundled')).filter((f) => f.endsWith('.json') || f.endsWith('.json.br'))) {
    cpSync(join(generatedDir, 'templates-bundled', file), join(dist, 'templates', file));
  }
  const live = join(root, 'dist');
  const old = join(root, `.dist-old-${process.pid}`);
  if (existsSync(live)) renameSync(live, old);
  renameSync(dist, live);
  rmSync(old, { recursive: true, force: true });
}

await withBuildLock(async () => {
  mkdirSync(generatedDir, { recursive: true });
  await embedTemplates();
  writeVersion();
  await embedReadyMade();
  await bundle();
});
