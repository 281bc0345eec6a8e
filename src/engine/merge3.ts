import { lazy } from '../lazy.js';
import { mergeKind } from './merge.js';
import { envKey, keyedLinesMerger, mergeJson3, patternKey, requirementKey, StructuralConflict, type StructuralMerger } from './merge3-structured.js';
import { mergeLines3, mergeWithoutBase, type MergeLabels, type MergeOutcome } from './merge3-text.js';

/** The structural merger of a path, if its format has one. */
async function structuralMerger(path: string): Promise<StructuralMerger | undefined> {
  const file = path.split('/').pop()!;
  switch (mergeKind(path)) {
    case 'json':
      return mergeJson3;
    case 'yaml':
      return (await lazy.merge3Yaml()).mergeYaml3;
    case 'env':
      return keyedLinesMerger(envKey);
    case 'lines':
      return keyedLinesMerger(/^requirements.*\.txt$/.test(file) ? requirementKey : patternKey);
    default:
      return undefined;
  }
}

/** Whether a merged text is still a valid document of its format. */
async function parses(path: string, text: string): Promise<boolean> {
  switch (mergeKind(path)) {
    case 'json':
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    case 'yaml':
      return (await lazy.merge3Yaml()).isValidYaml(text);
    case 'toml':
      return (await lazy.mergeToml()).isValidToml(text);
    default:
      return true;
  }
}

/**
 * Merges one file three ways: the user's version (ours) and the template's new version (theirs)
 * of a common base. Lines first (diff3), which keeps every comment and the user's layout; where
 * that conflicts or breaks the format, the file's structure (JSON, YAML, requirements, dotenv,
 * ignore files), which keeps the user's keys and entries. What neither resolves is a conflict
 * block holding both versions. Without a base (`undefined`: it was lost), every difference is a
 * conflict unless the structure proves it is not.
 */
export async function mergeFile(path: string, base: string | undefined, ours: string, theirs: string, labels: MergeLabels): Promise<MergeOutcome> {
  const byLines = base === undefined ? mergeWithoutBase(ours, theirs, labels) : mergeLines3(base, ours, theirs, labels);
  if (byLines.conflicts.length === 0 && (await parses(path, byLines.text))) return byLines;
  const structural = await structuralMerger(path);
  if (structural) {
    try {
      return { text: structural(base ?? '', ours, theirs), conflicts: [] };
    } catch (error) {
      if (!(error instanceof StructuralConflict) && !(error instanceof SyntaxError)) throw error;
    }
  }
  if (byLines.conflicts.length > 0) return byLines;
  // The lines merged but the result no longer parses: let the user decide on the whole file.
  return mergeWithoutBase(ours, theirs, labels);
}
