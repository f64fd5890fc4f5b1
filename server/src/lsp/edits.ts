import type { TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { SourceFile } from '../rust/model/sourceFile';
import type { SuppressionComment } from '../core/loc';
import type { TextEdit } from '../core/findings';
import { LineIndex } from '../core/text';
import type { OpenDocuments } from './documents';
import type { Uris } from './uris';
import type { WorkspaceIndex } from './workspace';

/** What turning analyzer edits (offsets) into LSP edits (positions) needs. */
export interface EditContext {
  /** The line index of a file as analysed; files outside the crate (Cargo.toml) are read on demand. */
  lines(file: string): LineIndex | undefined;
  toUri(file: string): string;
  /** The open buffer's version, so the client refuses an edit made for older text. */
  version(file: string): number | null;
  documentChanges: boolean;
}

/** Edits target the text as analysed: the open buffer, else the crate's copy, else the disk. */
export function editContext(docs: OpenDocuments, index: WorkspaceIndex, uris: Uris, documentChanges: boolean): EditContext {
  return {
    lines: (file) => {
      const text = docs.get(file)?.doc.getText() ?? index.crateOf(file)?.result?.files.get(file)?.text ?? index.fs.readText(file, () => undefined);
      return text === undefined ? undefined : new LineIndex(text);
    },
    toUri: (file) => uris.toUri(file),
    version: (file) => docs.get(file)?.doc.version ?? null,
    documentChanges,
  };
}

export function toWorkspaceEdit(edits: TextEdit[], ctx: EditContext): WorkspaceEdit | undefined {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of edits) {
    const lines = ctx.lines(e.file);
    if (!lines) return undefined;
    const list = byFile.get(e.file) ?? [];
    list.push({ range: { start: lines.position(e.start), end: lines.position(e.end) }, newText: e.newText });
    byFile.set(e.file, list);
  }
  if (ctx.documentChanges) {
    return {
      documentChanges: [...byFile].map(([file, list]) => ({ textDocument: { uri: ctx.toUri(file), version: ctx.version(file) }, edits: list })),
    };
  }
  return { changes: Object.fromEntries([...byFile].map(([file, list]) => [ctx.toUri(file), list])) };
}

export const SUPPRESS_MARKER = '// stable-lens-ignore';

/** A file whose suppression comments are known: a Rust source file, or a Motoko one. */
export type SuppressibleFile = Pick<SourceFile, 'path' | 'text' | 'lines'> & { facts: { suppressions: SuppressionComment[] } };

/**
 * The edit that suppresses `rule` on `line`: the id joins an ignore comment that already targets
 * the line, or a new comment goes above it with the line's indentation. Undefined when the
 * existing comment names the rule already (its reason is missing, which a new comment won't fix).
 */
export function suppressEdit(source: SuppressibleFile, rule: string, line: number): TextEdit | undefined {
  const existing = source.facts.suppressions
    .filter((s) => s.scope === 'line' && s.targetLine === line && s.ruleLocs.length > 0)
    .sort((a, b) => b.loc.start - a.loc.start)[0];
  if (existing) {
    if (existing.rules.includes(rule)) return undefined;
    const at = existing.ruleLocs[existing.ruleLocs.length - 1].end;
    return { file: source.path, start: at, end: at, newText: `, ${rule}` };
  }
  const lineText = source.lines.lineText(line);
  const indent = lineText.slice(0, lineText.length - lineText.trimStart().length);
  const at = source.lines.lineStart(line);
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
  return { file: source.path, start: at, end: at, newText: `${indent}${SUPPRESS_MARKER} ${rule}: <reason>${eol}` };
}
