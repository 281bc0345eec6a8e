import type { TemplateDelegate } from 'handlebars';
import type { ReadyMade } from './ready-made.js';

/**
 * One file of a template layer, as embedded in the CLI at build time. Text files carry their
 * text; binary files their base64; `.hbs` files a precompiled Handlebars template, so no template
 * is parsed or compiled while a project is generated.
 */
export interface BundledFile {
  /** Path inside the layer as stored, e.g. `_gitignore` or `src/app.ts.hbs`. */
  readonly path: string;
  readonly mode: number;
  readonly text?: string;
  readonly base64?: string;
  /** Precompiled template (for `.hbs`), turned into a function on first use. */
  readonly template?: () => TemplateDelegate;
}

/** Everything the generator needs from `templates/`, embedded in the bundle. */
export interface TemplateBundle {
  /** Keyed by layer, e.g. `shared/base`, `node/docker`. */
  readonly layers: Readonly<Record<string, readonly BundledFile[]>>;
  /** Each stack's pinned versions (`templates/<stack>/versions.json`). */
  readonly versions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Manifests whose layers were merged at build time, keyed by `premergedKey` (output path and
   * contributing layers); rendering one replaces rendering and merging each layer's file.
   */
  readonly premerged?: Readonly<Record<string, () => TemplateDelegate>>;
  /** The stack's new-project renders on a database, made at build time (published build only; see ready-made.ts). */
  readonly readyMade?: (db: string) => ReadyMade | undefined;
}
