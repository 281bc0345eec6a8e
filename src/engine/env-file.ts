import { randomBytes } from 'node:crypto';

/** Values in `.env.example` that mark a secret the user must replace. */
const PLACEHOLDER = /change-?me|placeholder/i;

/**
 * Builds the git-ignored `.env` for local development from `.env.example`: every placeholder
 * gets a fresh random secret (48 bytes, base64url) and the given overrides replace their keys.
 * `randomSecret` is injectable so tests can be deterministic.
 */
export function buildDotEnv(
  example: string,
  overrides: Readonly<Record<string, string>>,
  randomSecret: () => string = () => randomBytes(48).toString('base64url'),
): string {
  return example
    .split('\n')
    .map((line) => {
      const match = /^(\s*[A-Za-z_][A-Za-z0-9_]*\s*=)(.*)$/.exec(line);
      if (!match) return line;
      const key = match[1]!.replace(/[\s=]/g, '');
      if (key in overrides) return `${match[1]}${overrides[key]}`;
      return PLACEHOLDER.test(match[2]!) ? `${match[1]}${randomSecret()}` : line;
    })
    .join('\n');
}
