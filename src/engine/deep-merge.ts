/** Merges the text of a manifest emitted by a later layer into the text an earlier layer emitted. */
export type Merger = (base: string, overlay: string, path: string) => string;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge: objects by key (base order kept, new keys appended), arrays as a union, scalars overridden. */
export function deepMerge(base: Json, overlay: Json): Json {
  if (isObject(base) && isObject(overlay)) {
    const out: Record<string, Json> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
      out[key] = key in base ? deepMerge(base[key]!, value) : value;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(overlay)) {
    const seen = new Set(base.map((v) => JSON.stringify(v)));
    return [...base, ...overlay.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  return overlay;
}

/** The key a dotenv line assigns (`export KEY=value` → `KEY`), or `undefined` for comments and blanks. */
export function envKeyOf(line: string): string | undefined {
  return /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
}
