import type { InlayHint, Range } from 'vscode-languageserver';
import type { CrateResult } from '../check/rust';
import { rangeOf } from './diagnostics';
import { hiddenIds } from './locate';

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** ` = 3` after each const or getter call that hides which MemoryId a structure uses. */
export function inlayHints(result: CrateResult, file: string, range: Range): InlayHint[] {
  const out: InlayHint[] = [];
  for (const h of hiddenIds(result.model, file)) {
    if (h.value === undefined) continue;
    const position = rangeOf(result, h.at).end;
    if (!before(range.start, position) || !before(position, range.end)) continue;
    out.push({ position, label: `= ${h.value}`, paddingLeft: true, tooltip: `${h.label} resolves to MemoryId ${h.value}` });
  }
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
