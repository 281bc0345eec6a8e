import type { Answers } from '../answers/questions.js';
import { NOTE_RESOURCE, type ResourceSpec } from '../resources/spec.js';
import { canonicalFeatures, FEATURE_IDS, FEATURES, PLAIN_SHAPE, projectShape, type Feature, type ProjectShape } from '../stacks/features.js';
import { Tree } from './tree.js';

/**
 * The new-project render of one stack and database for every feature set, made at build time
 * with a probe project name in place of the real one. A new project's render depends only on
 * its name, database and features, so `create` can take it ready-made instead of loading and
 * running the templates: the same bytes, a fraction of the start-up time.
 */
export interface ReadyMade {
  /** The generator version the renders belong to. */
  readonly version: string;
  /** Every distinct file content; text as is, binary files as base64 (see `files`). */
  readonly contents: readonly string[];
  /** Per `variantKey`: `[path, mode, index in contents, 1 when base64]`. */
  readonly variants: Readonly<Record<string, readonly (readonly [string, number, number, number])[]>>;
}

/** The probe name the renders are made with; both spellings are replaced by the real name's. */
const PROBE = { name: 'cbprobe-name-x', snakeName: 'cbprobe_name_x' } as const;
/** A second, shorter probe: a render only qualifies when swapping names reproduces it exactly. */
const CHECK = { name: 'qz-b', snakeName: 'qz_b' } as const;
const PROBE_PATTERN = /cbprobe-name-x|cbprobe_name_x/g;

/** The variant key of a database and a feature set. */
export function variantKey(db: string, features: readonly Feature[]): string {
  return `${db}|${canonicalFeatures(features).join(',')}`;
}

/**
 * Whether the ready-made renders apply: they are made for the plain shape only. A realtime
 * workload (event stream), the Django admin, sensitive data (token lifetime, authentication
 * event log) and a package manager other than npm each change the render, so those projects are
 * rendered at run time. Any field a shape gains is covered here without another condition.
 */
export function isReadyMadeAnswers(answers: Answers): boolean {
  const shape = projectShape(answers);
  return (Object.keys(PLAIN_SHAPE) as (keyof ProjectShape)[]).every((key) => shape[key] === PLAIN_SHAPE[key]);
}

/** Whether these are the resources every new project starts with. */
export function isNewProjectResources(resources: readonly ResourceSpec[]): boolean {
  return resources.length === 1 && JSON.stringify(resources[0]) === JSON.stringify(NOTE_RESOURCE);
}

function withName(text: string, name: string): string {
  const snakeName = name.replaceAll('-', '_');
  return text.replace(PROBE_PATTERN, (probe) => (probe === PROBE.name ? name : snakeName));
}

/** The ready-made render for these answers, or `undefined` when there is none. */
export function readyMadeTree(readyMade: ReadyMade, answers: Answers): Tree | undefined {
  const files = readyMade.variants[variantKey(answers.db, answers.features)];
  if (!files) return undefined;
  const tree = new Tree();
  for (const [path, mode, index, binary] of files) {
    const content = readyMade.contents[index]!;
    tree.write(path, binary ? Buffer.from(content, 'base64') : withName(content, answers.name), mode);
  }
  return tree;
}

/**
 * Every subset of the features made ready-made; a feature set with another one (kubernetes) has
 * no variant and renders at run time.
 */
function featureSets(): Feature[][] {
  const ready = FEATURE_IDS.filter((f) => FEATURES[f].readyMade);
  return Array.from({ length: 2 ** ready.length }, (_, mask) => ready.filter((_f, i) => mask & (1 << i)));
}

const isText = (content: Buffer): boolean => !content.includes(0) && Buffer.from(content.toString('utf8'), 'utf8').equals(content);

/**
 * Renders every feature set of one database with the probe name and keeps the variants that the
 * same render with another name reproduces after the swap (a template that spells the name
 * differently, or lays text out by its length, makes its variant render at run time instead).
 * Build time only.
 */
export async function makeReadyMade(
  render: (name: string, features: Feature[]) => Promise<Tree>,
  db: string,
  version: string,
): Promise<{ readyMade: ReadyMade; skipped: string[] }> {
  const contents: string[] = [];
  const indexOf = new Map<string, number>();
  const variants: Record<string, [string, number, number, number][]> = {};
  const skipped: string[] = [];
  for (const features of featureSets()) {
    const key = variantKey(db, features);
    const probe = await render(PROBE.name, features);
    const check = await render(CHECK.name, features);
    const encoded = probe.paths().map((path) => {
      const file = probe.get(path)!;
      const binary = !isText(file.content);
      return { path, mode: file.mode, binary, content: file.content.toString(binary ? 'base64' : 'utf8') };
    });
    const reproducible =
      probe.paths().join('\n') === check.paths().join('\n') &&
      encoded.every((f) => (f.binary ? f.content === check.get(f.path)!.content.toString('base64') : withName(f.content, CHECK.name) === check.read(f.path)));
    if (!reproducible) {
      skipped.push(key);
      continue;
    }
    variants[key] = encoded.map((f) => {
      let index = indexOf.get(f.content);
      if (index === undefined) indexOf.set(f.content, (index = contents.push(f.content) - 1));
      return [f.path, f.mode, index, f.binary ? 1 : 0];
    });
  }
  return { readyMade: { version, contents, variants }, skipped };
}
