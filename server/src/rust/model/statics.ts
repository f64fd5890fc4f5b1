import { parseRustRange, type Node, type Tree } from '../syntax/treeSitter';
import { field, lastSegment, named } from '../syntax/syntax';
import type { HeapStateDecl, TypeRef } from './facts';
import type { FileContext } from './fileContext';
import { inTestCode } from './items';

export const CELL_WRAPPERS = new Set(['RefCell', 'Cell', 'Mutex', 'RwLock', 'OnceCell', 'OnceLock', 'LazyCell', 'LazyLock', 'Lazy', 'UnsafeCell']);

export interface MacroBody {
  kind: 'thread_local' | 'lazy_static';
  tree: Tree;
}

/** Re-parses the bodies of `thread_local!` and `lazy_static!` as Rust items, in file coordinates. */
export function parseStateMacros(text: string, root: Node): MacroBody[] {
  const out: MacroBody[] = [];
  for (const m of root.descendantsOfType('macro_invocation')) {
    if (!m || inTestCode(m)) continue;
    const name = lastSegment(field(m, 'macro'));
    if (name !== 'thread_local' && name !== 'lazy_static') continue;
    const body = named(m).find((c) => c.type === 'token_tree');
    if (!body) continue;
    const tree = parseRustRange(text, body);
    if (tree) out.push({ kind: name, tree });
  }
  return out;
}

/** Peels `RefCell<T>`-style wrappers and returns the outermost one with the type inside. */
export function unwrapCells(type: TypeRef): { wrapper?: string; inner: TypeRef } {
  let inner = type;
  let wrapper: string | undefined;
  while (CELL_WRAPPERS.has(inner.name) && inner.args.length === 1) {
    wrapper ??= inner.name;
    inner = inner.args[0];
  }
  return { wrapper, inner };
}

/** Static items that hold mutable heap state: cell-wrapped statics, `static mut` and lazy_static refs. */
export function extractHeapState(ctx: FileContext, root: Node, context: HeapStateDecl['context']): HeapStateDecl[] {
  const out: HeapStateDecl[] = [];
  const items = context === 'static' ? ctx.descendants(root, 'static_item') : named(root).filter((n) => n.type === 'static_item');
  for (const item of items) {
    if (inTestCode(item)) continue;
    if (context === 'static' && item.parent?.type !== 'source_file' && item.parent?.type !== 'declaration_list') continue;
    const nameNode = field(item, 'name');
    const typeNode = field(item, 'type');
    if (!nameNode || !typeNode) continue;
    const type = ctx.typeRef(typeNode);
    const { wrapper, inner } = unwrapCells(type);
    const isMut = item.children.some((c) => c?.type === 'mutable_specifier');
    if (!wrapper && !isMut && context !== 'lazy_static' && context !== 'thread_local') continue;
    out.push({
      name: nameNode.text,
      type,
      wrapper,
      inner,
      context,
      mutable: isMut,
      initText: field(item, 'value')?.text ?? '',
      nameLoc: ctx.loc(nameNode),
      loc: ctx.loc(item),
    });
  }
  return out;
}
