import { parse, stringify } from 'smol-toml';
import { TemplateError } from '../errors.js';
import { deepMerge, type Json, type Merger } from './deep-merge.js';

/** Deep-merges two TOML documents (pyproject.toml). Comments are not kept by the TOML library. */
export const mergeToml: Merger = (base, overlay, path) => {
  try {
    return `${stringify(deepMerge(parse(base) as Json, parse(overlay) as Json) as Record<string, unknown>)}\n`;
  } catch (error) {
    throw new TemplateError(`Template ${path} is not valid TOML.`, { cause: error });
  }
};

/** Whether a text parses as TOML (a line merge can produce text that does not). */
export function isValidToml(text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}
