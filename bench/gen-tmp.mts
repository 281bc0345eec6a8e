import { performance } from 'node:perf_hooks';
const { loadTemplateBundle } = await import('../src/generated/templates/index.js');
const bundle = await loadTemplateBundle(['shared', 'node']);
const { generateProject } = await import('../src/engine/generate.js');
const { renderLayers } = await import('../src/engine/render.js');
const { layersFor, FEATURES } = await import('../src/stacks/stacks.js');
const answers = { name: 'x', workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container', stack: 'node', db: 'sqlite' } as const;
const ctx = { name: 'x', snakeName: 'x', db: 'sqlite', isPostgres: false, generatorVersion: '1', versions: bundle.versions.node } as const;
// Time rendering of .hbs files only (cold), then merges, per file.
const times: [string, number][] = [];
for (const layer of layersFor('node', FEATURES)) {
  for (const f of bundle.layers[layer] ?? []) {
    if (!f.template) continue;
    const t = performance.now();
    f.template()(ctx);
    times.push([`${layer}/${f.path}`, performance.now() - t]);
  }
}
times.sort((a, b) => b[1] - a[1]);
console.log('hbs total', times.reduce((s, x) => s + x[1], 0).toFixed(1), times.slice(0, 6).map(([p, t]) => `${p} ${t.toFixed(2)}`).join(', '));
let t = performance.now();
renderLayers(bundle, layersFor('node', FEATURES), ctx as never);
console.log('renderLayers (templates warm)', (performance.now() - t).toFixed(1));
t = performance.now();
generateProject(answers as never, { bundle, generatorVersion: '1' });
console.log('generate warm', (performance.now() - t).toFixed(1));
