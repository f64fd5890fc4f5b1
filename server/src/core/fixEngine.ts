import { fixesOf, type Finding, type Fix, type TextEdit } from './findings';

/**
 * Applies edits to one text, last first so earlier offsets stay valid. Overlapping edits are refused.
 * Insertions at one point keep their list order in the result, as in an LSP WorkspaceEdit.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].end > sorted[i - 1].start)
      throw new Error(`overlapping edits at ${sorted[i].start}-${sorted[i].end} and ${sorted[i - 1].start}-${sorted[i - 1].end}`);
  }
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.start < b.end && b.start < a.end;
}

/**
 * Picks one fix per finding (the first that passes `accept`) so that no two chosen fixes touch the
 * same text; a later fix that would overlap an earlier one is left for the next round, like ESLint.
 */
export function chooseFixes(findings: Finding[], accept: (fix: Fix, finding: Finding) => boolean): Fix[] {
  const chosen: Fix[] = [];
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    const fix = fixesOf(finding).find((f) => accept(f, finding));
    if (!fix) continue;
    // Insertions at one point (new imports, consts) may share a position; identical ones are merged.
    const fresh = fix.edits.filter((e) => !taken.some((t) => t.file === e.file && t.start === e.start && t.end === e.end && t.newText === e.newText));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
    chosen.push({ ...fix, edits: fresh });
    taken.push(...fresh);
  }
  return chosen;
}

/** Groups the edits of several fixes by file and applies them to the given texts. */
export function applyFixes(texts: Map<string, string>, fixes: Fix[]): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const fix of fixes) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out = new Map(texts);
  for (const [file, edits] of byFile) out.set(file, applyEdits(texts.get(file) ?? '', edits));
  return out;
}
