import Handlebars from 'handlebars';
import type { BundledFile, TemplateBundle } from '../../src/engine/template-bundle.js';

/** A template bundle built in memory from `{layer: {path: content}}`, compiled like the build does. */
export function bundleOf(layers: Record<string, Record<string, string>>, versions: Record<string, Record<string, string>> = {}): TemplateBundle {
  const out: Record<string, BundledFile[]> = {};
  for (const [layer, files] of Object.entries(layers)) {
    out[layer] = Object.entries(files).map(([path, text]) => {
      if (!path.endsWith('.hbs')) return { path, mode: path.endsWith('.sh') ? 0o755 : 0o644, text };
      const template = Handlebars.compile(text, { strict: true, noEscape: true });
      return { path, mode: 0o644, template: () => template };
    });
  }
  return { layers: out, versions };
}
