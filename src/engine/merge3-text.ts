import { diff3Merge, diffComm } from 'node-diff3';

/** A block of conflict markers in a merged file, 1-based and inclusive. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

/** The result of a merge: the text, and where conflict markers were left (none: it merged). */
export interface MergeOutcome {
  readonly text: string;
  readonly conflicts: readonly LineRange[];
}

/** How the two sides of a conflict are labelled in its markers. */
export interface MergeLabels {
  /** The user's version, e.g. `yours`. */
  readonly ours: string;
  /** The template's version, e.g. `create-backend 0.2.0`. */
  readonly theirs: string;
}

/** Splits text into lines, remembering whether it ended with a newline. */
function toLines(text: string): { lines: string[]; finalNewline: boolean } {
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, -1) : text;
  return { lines: body === '' && finalNewline ? [''] : body === '' ? [] : body.split('\n'), finalNewline };
}

/** Collects merged lines and the ranges of the conflict blocks written among them. */
class Output {
  readonly lines: string[] = [];
  readonly conflicts: LineRange[] = [];

  add(lines: readonly string[]): void {
    this.lines.push(...lines);
  }

  conflict(ours: readonly string[], base: readonly string[] | undefined, theirs: readonly string[], labels: MergeLabels): void {
    const start = this.lines.length + 1;
    this.lines.push(`<<<<<<< ${labels.ours}`, ...ours);
    if (base) this.lines.push('||||||| base', ...base);
    this.lines.push('=======', ...theirs, `>>>>>>> ${labels.theirs}`);
    this.conflicts.push({ start, end: this.lines.length });
  }

  text(finalNewline: boolean): string {
    return this.lines.join('\n') + (finalNewline && this.lines.length > 0 ? '\n' : '');
  }
}

/**
 * Three-way merge by lines (diff3): changes made on one side only are taken; lines both sides
 * inserted at the same place are all kept; overlapping changes to existing lines become a
 * git-style conflict block (`<<<<<<<`, `|||||||`, `=======`,
 * `>>>>>>>`) holding both versions and the base, so no line is lost.
 */
export function mergeLines3(base: string, ours: string, theirs: string, labels: MergeLabels): MergeOutcome {
  const o = toLines(ours);
  const b = toLines(base);
  const t = toLines(theirs);
  const out = new Output();
  for (const region of diff3Merge(o.lines, b.lines, t.lines, { excludeFalseConflicts: true })) {
    if (region.ok) out.add(region.ok);
    else if (region.conflict && region.conflict.o.length === 0) {
      // Both sides only added lines at the same place (a route registered by the template next
      // to one the user registered): keep both, the template's first, so the user's lines stay
      // next to what followed them. Nothing either side wrote is lost or changed.
      out.add([...region.conflict.b, ...region.conflict.a]);
    } else if (region.conflict) out.conflict(region.conflict.a, region.conflict.o, region.conflict.b, labels);
  }
  // The final newline follows whichever side changed it.
  const finalNewline = o.finalNewline === b.finalNewline ? t.finalNewline : o.finalNewline;
  return { text: out.text(finalNewline), conflicts: out.conflicts };
}

/**
 * Two-way "merge" for a file whose base is unknown (its pristine version was lost): lines both
 * sides share are kept, and every place where they differ becomes a conflict block, because
 * without a base nobody can tell who added or removed what.
 */
export function mergeWithoutBase(ours: string, theirs: string, labels: MergeLabels): MergeOutcome {
  const o = toLines(ours);
  const t = toLines(theirs);
  const out = new Output();
  for (const chunk of diffComm(o.lines, t.lines)) {
    if (chunk.common) out.add(chunk.common);
    else out.conflict(chunk.buffer1 ?? [], undefined, chunk.buffer2 ?? [], labels);
  }
  return { text: out.text(o.finalNewline || t.finalNewline), conflicts: out.conflicts };
}
