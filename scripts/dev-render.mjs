// Template-author helper: renders templates/<stack> into a directory without the CLI.
// Usage: node scripts/dev-render.mjs <stack> <outdir> [sqlite|postgres] [name]
// Only for authoring templates; the CLI's engine is the real renderer.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

const [stack, out, db = 'sqlite', name = 'my-api'] = process.argv.slice(2);
if (!stack || !out) throw new Error('usage: dev-render.mjs <stack> <outdir> [db] [name]');
const root = path.resolve(import.meta.dirname, '..', 'templates');
const versionsFile = path.join(root, stack, 'versions.json');
const versions = fs.existsSync(versionsFile) ? JSON.parse(fs.readFileSync(versionsFile, 'utf8')) : {};
const ctx = { name, snakeName: name.replaceAll('-', '_'), db, isPostgres: db === 'postgres', generatorVersion: '0.0.0-dev', versions };
const layers = ['base', 'docker', 'ci', 'backup'].flatMap((f) => [path.join(root, 'shared', f), path.join(root, stack, f)]);
const seen = new Map();
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
for (const layer of layers) {
  if (!fs.existsSync(layer)) continue;
  for (const file of walk(layer)) {
    let rel = path.relative(layer, file).split(path.sep).map((s) => (/^_[A-Za-z]/.test(s) ? '.' + s.slice(1) : s)).join('/');
    let content = fs.readFileSync(file);
    if (rel.endsWith('.hbs')) {
      rel = rel.slice(0, -4);
      content = Buffer.from(Handlebars.compile(content.toString('utf8'), { strict: true, noEscape: true })(ctx));
    }
    if (seen.has(rel)) console.warn(`warning: ${rel} emitted by ${seen.get(rel)} and ${layer}; the CLI merges manifests, this script overwrites`);
    seen.set(rel, layer);
    const dest = path.join(out, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, content, { mode: fs.statSync(file).mode });
  }
}
console.log(`rendered ${seen.size} files into ${out}`);
