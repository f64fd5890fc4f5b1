import { TextDocument } from 'vscode-languageserver-textdocument';
import { Edit } from 'web-tree-sitter';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { SourceFile } from '../rust/model/sourceFile';
import { extractRustFacts, UnitCache } from '../rust/model/extract';
import { parseRust, type Tree } from '../rust/syntax/treeSitter';
import { LineIndex } from '../core/text';

/** An editor buffer. Rust buffers keep their syntax tree so an edit only reparses what changed. */
export interface OpenDocument {
  uri: string;
  path: string;
  doc: TextDocument;
  isRust: boolean;
  tree?: Tree;
  /** True when edits were applied to the tree and it has not been reparsed since. */
  edited: boolean;
  source?: SourceFile;
  /** Facts per top-level item, so a keystroke re-extracts only the item it lands in. */
  units?: UnitCache;
}

type Point = { row: number; column: number };

function point(doc: TextDocument, offset: number): Point {
  const p = doc.positionAt(offset);
  return { row: p.line, column: p.character };
}

/** The document's own line offsets, when it has no `\r` (which it would count as a line break). */
function lineIndexOf(doc: TextDocument, text: string): LineIndex {
  const lineOffsets = (doc as unknown as { getLineOffsets?: () => number[] }).getLineOffsets;
  if (!lineOffsets || text.includes('\r')) return new LineIndex(text);
  // The document's own array, shared instead of copied on every keystroke: its next edit changes
  // it in place, after which the index reads this text's lines itself.
  return new LineIndex(text, () => (doc.getText() === text ? lineOffsets.call(doc) : undefined));
}

/** Open documents by file path. Offsets and tree-sitter columns are both UTF-16 code units. */
export class OpenDocuments {
  private readonly byPath = new Map<string, OpenDocument>();

  open(uri: string, path: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(path);
    const isRust = (languageId === 'rust' || path.endsWith('.rs')) && !path.endsWith('.mo');
    const entry: OpenDocument = { uri, path, doc: TextDocument.create(uri, languageId, version, text), isRust, edited: false };
    this.byPath.set(path, entry);
    return entry;
  }

  /**
   * Applies the changes of one `didChange` in order, editing the syntax tree for each. Returns
   * undefined for a version that is not newer than the buffer's, which is ignored.
   */
  change(path: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.byPath.get(path);
    if (!entry || version <= entry.doc.version) return undefined;
    for (const change of changes) {
      if (!('range' in change)) {
        TextDocument.update(entry.doc, [change], version);
        this.dropTree(entry);
        entry.units?.clear();
        continue;
      }
      const doc = entry.doc;
      const startIndex = doc.offsetAt(change.range.start);
      const oldEndIndex = doc.offsetAt(change.range.end);
      const startPosition = point(doc, startIndex);
      const oldEndPosition = point(doc, oldEndIndex);
      TextDocument.update(doc, [change], version);
      const newEndIndex = startIndex + change.text.length;
      entry.units?.edited(startIndex, oldEndIndex, newEndIndex);
      if (entry.tree) {
        entry.tree.edit(new Edit({ startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition: point(doc, newEndIndex) }));
        entry.edited = true;
      }
    }
    // The document may have been updated with no change at all: the version still moves on.
    if (changes.length === 0) TextDocument.update(entry.doc, [], version);
    entry.source = undefined;
    return entry;
  }

  close(path: string): OpenDocument | undefined {
    const entry = this.byPath.get(path);
    if (!entry) return undefined;
    this.dropTree(entry);
    this.byPath.delete(path);
    return entry;
  }

  get(path: string): OpenDocument | undefined {
    return this.byPath.get(path);
  }

  all(): OpenDocument[] {
    return [...this.byPath.values()];
  }

  /** The analyzer's view of an open Rust buffer, reparsed incrementally from the edited tree. */
  sourceFile(path: string): SourceFile | undefined {
    const entry = this.byPath.get(path);
    if (!entry || !entry.isRust) return undefined;
    if (entry.source) return entry.source;
    const text = entry.doc.getText();
    const old = entry.tree;
    const tree = parseRust(text, entry.edited ? old : undefined);
    entry.units ??= new UnitCache();
    // Where the syntax changed beyond the edited text, the cached units are read again too.
    if (old && entry.edited) entry.units.changed(old.getChangedRanges(tree));
    if (old && old !== tree) old.delete();
    entry.tree = tree;
    entry.edited = false;
    const lines = lineIndexOf(entry.doc, text);
    entry.source = { path, text, lines, facts: extractRustFacts(path, text, tree, lines, entry.units) };
    return entry.source;
  }

  private dropTree(entry: OpenDocument): void {
    entry.tree?.delete();
    entry.tree = undefined;
    entry.edited = false;
    entry.source = undefined;
  }
}
