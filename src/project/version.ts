/** Compares two semantic versions (`1.2.3`, `1.2.3-beta.1`): negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): { core: number[]; pre: string | undefined } => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { core: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return d;
  }
  // A pre-release sorts before its release.
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre.localeCompare(y.pre, 'en', { numeric: true });
}
