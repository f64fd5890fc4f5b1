/**
 * Checks one quick fix against the text it edits: sane ranges, nothing outside its edits changes,
 * the LSP form of the edits gives the same text, and user comments (`keep-*` markers) survive.
 */
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../../server/src/core/fixEngine';
import { toWorkspaceEdit } from '../../server/src/lsp/edits';
import type { Finding, TextEdit } from '../../server/src/core/findings';
import { LineIndex } from '../../server/src/core/text';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** Refuses edits that point outside the text or split a surrogate pair or a CRLF. */
export function assertSaneEdits(texts: ReadonlyMap<string, string>, edits: TextEdit[], what: string): void {
  for (const e of edits) {
    const text = texts.get(e.file);
    assert.ok(text !== undefined, `${what}: edits ${e.file}, a file the crate does not have`);
    assert.ok(0 <= e.start && e.start <= e.end && e.end <= text.length, `${what}: range ${e.start}-${e.end} outside 0-${text.length}`);
    for (const at of [e.start, e.end]) {
      assert.ok(!(at > 0 && isHigh(text.charCodeAt(at - 1))), `${what}: offset ${at} splits a surrogate pair`);
      assert.ok(!(text[at - 1] === '\r' && text[at] === '\n'), `${what}: offset ${at} splits a CRLF`);
    }
  }
}

/** The text between the edits, which must come through unchanged and in order. */
export function assertOnlyEditsChange(before: string, after: string, edits: TextEdit[], what: string): void {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let from = 0;
  let pos = 0;
  for (const e of sorted) {
    const kept = before.slice(from, e.start);
    assert.equal(after.slice(pos, pos + kept.length), kept, `${what}: text before offset ${e.start} changed`);
    pos += kept.length;
    assert.equal(after.slice(pos, pos + e.newText.length), e.newText, `${what}: the edit at ${e.start} is not in the result`);
    pos += e.newText.length;
    from = Math.max(from, e.end);
  }
  assert.equal(after.slice(pos), before.slice(from), `${what}: text after the last edit changed`);
}

/** What an editor does with the fix: LSP positions from the analyzer's offsets, applied by the client library. */
export function applyAsLsp(file: string, text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const ws = toWorkspaceEdit(edits, { lines: () => lines, toUri: () => 'file:///x', version: () => 1, documentChanges: false });
  assert.ok(ws?.changes, 'the fix converts to a WorkspaceEdit');
  return TextDocument.applyEdits(TextDocument.create('file:///x', file.endsWith('.mo') ? 'motoko' : 'rust', 1, text), ws.changes['file:///x']);
}

const count = (text: string, marker: string) => text.split(marker).length - 1;

/** Applies one fix to the texts and runs every check that needs no parser; returns the new texts. */
export function applyChecked(texts: ReadonlyMap<string, string>, edits: TextEdit[], markers: string[], what: string): Map<string, string> {
  assertSaneEdits(texts, edits, what);
  const out = new Map(texts);
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    const before = texts.get(file)!;
    const after = applyEdits(before, list);
    assertOnlyEditsChange(before, after, list, `${what} in ${file}`);
    assert.equal(applyAsLsp(file, before, list), after, `${what}: the LSP edit gives another text in ${file}`);
    for (const m of markers) assert.equal(count(after, m), count(before, m), `${what}: the comment ${m} was lost or copied in ${file}`);
    out.set(file, after);
  }
  return out;
}

/** Where an offset of the old text lands after the edits; offsets inside an edit land at its start. */
export function mapOffset(offset: number, edits: TextEdit[]): number {
  let shift = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.end <= offset && e.start < offset) shift += e.newText.length - (e.end - e.start);
    else if (e.start < offset && offset < e.end) return e.start + shift;
  }
  return offset + shift;
}

/** Findings of `rule` that touch the mapped span of `finding` and still offer `title`: the fix did not stick. */
export function offeredAgain(finding: Finding, title: string, edits: TextEdit[], after: Finding[], fixesOf: (f: Finding) => { title: string }[]): Finding[] {
  const own = edits.filter((e) => e.file === finding.loc.file);
  const start = mapOffset(finding.loc.start, own);
  const end = mapOffset(finding.loc.end, own);
  return after.filter(
    (g) => g.rule === finding.rule && g.loc.file === finding.loc.file && g.loc.start <= end && start <= g.loc.end && fixesOf(g).some((x) => x.title === title),
  );
}

/**
 * Module-level names declared twice in one namespace: a fix that adds a const, static or alias
 * under a name the file already uses breaks the build although the file still parses.
 */
export function duplicateItems(text: string): string[] {
  const values = [...text.matchAll(/^(?:pub\s+)?(?:const|static|fn)\s+(\w+)|^ {4}static\s+(\w+)/gmu)].map((m) => m[1] ?? m[2]);
  const types = [...text.matchAll(/^(?:pub\s+)?(?:struct|enum|type)\s+(\w+)/gmu)].map((m) => m[1]);
  const twice = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
  return [...twice(values), ...twice(types)];
}
