import { field, named, walk } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import type { TextEdit } from '../../core/findings';
import type { SyntaxCache } from './syntaxCache';

/** An edit that drops an import a conversion leaves unused, and the `use` it belongs to. */
export interface ImportRemoval {
  declStart: number;
  edit: TextEdit;
}

/** True when `name` still occurs in the file outside `use` items and outside the replaced ranges. */
function stillUsed(root: Node, name: string, replaced: [number, number][]): boolean {
  let used = false;
  walk(root, (n) => {
    if (used || n.type === 'use_declaration') return false;
    if ((n.type === 'identifier' || n.type === 'type_identifier') && n.text === name) {
      used = !replaced.some(([s, e]) => s <= n.startIndex && n.endIndex <= e);
    }
  });
  return used;
}

/** Removes a whole `use` line: its own line break goes too, the one before it when possible. */
function dropLine(file: string, text: string, decl: Node): TextEdit | undefined {
  const lineStart = text.lastIndexOf('\n', decl.startIndex - 1) + 1;
  const nl = text.indexOf('\n', decl.endIndex);
  const lineEnd = nl < 0 ? text.length : nl;
  if (text.slice(lineStart, decl.startIndex).trim() !== '' || text.slice(decl.endIndex, lineEnd).trim() !== '') return undefined;
  // Taking the line break before keeps an insertion at the end of this line (new imports) valid.
  return lineStart > 0 ? { file, start: lineStart - 1, end: lineEnd, newText: '' } : { file, start: 0, end: Math.min(lineEnd + 1, text.length), newText: '' };
}

/**
 * Edits that drop the imports of `names` (the std types a conversion replaces) once nothing in
 * the file outside `replaced` names them. Only plain `use a::N;` and one-level lists
 * `use a::{N, M};` on one line are edited; aliases and nested lists are left alone.
 */
export function importRemovals(syntax: SyntaxCache, file: string, names: string[], replaced: [number, number][]): ImportRemoval[] {
  const root = syntax.root(file);
  const text = syntax.text(file);
  const out: ImportRemoval[] = [];
  for (const name of new Set(names)) {
    if (stillUsed(root, name, replaced)) continue;
    for (const decl of root.namedChildren) {
      if (decl?.type !== 'use_declaration') continue;
      const arg = field(decl, 'argument');
      if (arg?.type === 'scoped_identifier' && field(arg, 'name')?.text === name) {
        const edit = dropLine(file, text, decl);
        if (edit) out.push({ declStart: decl.startIndex, edit });
      } else if (arg?.type === 'scoped_use_list') {
        const list = field(arg, 'list');
        const items = list ? named(list) : [];
        if (
          !list ||
          list.text.includes('\n') ||
          items.some((i) => i.type.endsWith('comment')) ||
          !items.some((i) => i.type === 'identifier' && i.text === name)
        )
          continue;
        const rest = items.filter((i) => !(i.type === 'identifier' && i.text === name));
        // A lone plain name loses its braces; `self` or a nested path keeps them.
        const newText = rest.length === 1 && rest[0].type === 'identifier' ? rest[0].text : `{${rest.map((i) => i.text).join(', ')}}`;
        const edit = rest.length === 0 ? dropLine(file, text, decl) : { file, start: list.startIndex, end: list.endIndex, newText };
        if (edit) out.push({ declStart: decl.startIndex, edit });
      }
    }
  }
  return out;
}
