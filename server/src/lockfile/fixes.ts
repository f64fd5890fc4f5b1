import { indentAt } from '../core/text';
import type { CanisterModel } from '../rust/model/canister';
import type { FieldDecl } from '../rust/model/facts';
import type { Fix } from '../core/findings';
import { buildRustLock } from './build';
import { serializeLock, type LoadedLock } from './io';

/** Rewrites the lockfile with the current layout: for changes that are intended (after a migration). */
export function recordLayoutFix(model: CanisterModel, baseline: LoadedLock): Fix | undefined {
  // A git baseline has no file to write.
  if (baseline.file.includes('@')) return undefined;
  const newText = serializeLock(buildRustLock(model, baseline.lock));
  if (newText === baseline.text) return undefined;
  return {
    title: 'Record the new layout in stable-layout.lock.json',
    kind: 'unsafe',
    edits: [{ file: baseline.file, start: 0, end: baseline.text.length, newText }],
  };
}

/** "Add #[serde(default)]" and "Wrap new field in Option" for a field old values do not have. */
export function newFieldFixes(field: FieldDecl, text: string, candid: boolean): Fix[] {
  const out: Fix[] = [];
  const file = field.loc.file;
  if (!candid) {
    const { lineStart, indent } = indentAt(text, field.loc.start);
    out.push({
      title: `Add #[serde(default)] to \`${field.name}\``,
      kind: 'safe',
      edits: [{ file, start: lineStart, end: lineStart, newText: `${indent}#[serde(default)]\n` }],
    });
  }
  const t = field.type.loc;
  out.push({
    title: `Wrap \`${field.name}\` in Option`,
    kind: 'unsafe',
    edits: [
      { file, start: t.start, end: t.start, newText: 'Option<' },
      { file, start: t.end, end: t.end, newText: '>' },
    ],
  });
  return out;
}
