import type { Node } from '../syntax/treeSitter';
import { field, named, pathSegments } from '../syntax/syntax';
import type { Loc } from '../../core/loc';
import type { TypeRef, UseDecl } from './facts';

/** The node types extractors look for below an item: found in one query per item, not one per extractor. */
const INDEXED = new Set([
  'const_item',
  'function_item',
  'call_expression',
  'macro_invocation',
  'static_item',
  'impl_item',
  'struct_item',
  'enum_item',
  'type_item',
]);

interface ItemIndex {
  root: Node;
  nodes?: { node: Node; type: string }[];
}

/** Per-file state shared by the extractors: the file name, its text and its `use` aliases. */
export class FileContext {
  private readonly useMap = new Map<string, string>();
  private readonly globs: string[] = [];
  private item: ItemIndex | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    uses: UseDecl[],
  ) {
    for (const u of uses) {
      if (u.isGlob) this.globs.push(u.path);
      else this.useMap.set(u.local, u.path);
    }
  }

  /** The item the extractors read next: their queries below it share one walk of it. */
  enterItem(root: Node | undefined): void {
    this.item = root ? { root } : undefined;
  }

  /**
   * The nodes of the given types below `root`, in document order, like `descendantsOfType`.
   * Below the current item (or a part of it, such as a function body) they come from one list.
   */
  descendants(root: Node, types: string | string[]): Node[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const item = this.item;
    const within = item && root.tree === item.root.tree && root.startIndex >= item.root.startIndex && root.endIndex <= item.root.endIndex;
    if (!item || !within || !wanted.every((t) => INDEXED.has(t))) return root.descendantsOfType(wanted).filter((n): n is Node => n !== null);
    item.nodes ??= item.root
      .descendantsOfType([...INDEXED])
      .filter((n): n is Node => n !== null)
      .map((node) => ({ node, type: node.type }));
    const same = root.id === item.root.id;
    const out: Node[] = [];
    for (const { node, type } of item.nodes) {
      // A query never returns the node it starts from, only nodes below it.
      if (!wanted.includes(type) || (!same && (node.startIndex < root.startIndex || node.endIndex > root.endIndex || node.id === root.id))) continue;
      out.push(node);
    }
    return out;
  }

  loc(node: Node): Loc {
    return { file: this.file, start: node.startIndex, end: node.endIndex };
  }

  /** The full path of a name as written: resolved through `use` declarations when one names it. */
  resolvePath(segments: string[]): string {
    if (segments.length === 0) return '';
    const [head, ...rest] = segments;
    const mapped = this.useMap.get(head);
    if (mapped) return [mapped, ...rest].join('::');
    if (segments.length === 1) {
      for (const glob of this.globs) {
        if (glob.startsWith('ic_stable_structures') && STABLE_EXPORTS.has(head)) return `${glob}::${head}`;
      }
    }
    return segments.join('::');
  }

  /** A type as written. Types nested deeper than any real code (`depth`) are kept as plain text. */
  typeRef(node: Node, depth = 0): TypeRef {
    const loc = this.loc(node);
    if (depth > MAX_TYPE_DEPTH) return unknownType(node.text, loc);
    const inner = (n: Node) => this.typeRef(n, depth + 1);
    switch (node.type) {
      case 'generic_type': {
        const base = field(node, 'type');
        const segs = pathSegments(base);
        const args = field(node, 'type_arguments');
        // Const generic arguments (`Blob<32>`) are kept as literal-named types so bounds can read them.
        const argNodes = args ? named(args).filter((a) => isTypeNode(a) || a.type === 'integer_literal') : [];
        return this.named(
          node,
          segs,
          argNodes.map((a) => (a.type === 'integer_literal' ? { text: a.text, name: a.text, path: a.text, args: [], loc: this.loc(a) } : inner(a))),
        );
      }
      case 'type_identifier':
      case 'primitive_type':
      case 'scoped_type_identifier':
      case 'identifier':
      case 'scoped_identifier':
        return this.named(node, pathSegments(node), []);
      case 'tuple_type':
        return { text: node.text, name: '()', path: '()', args: named(node).filter(isTypeNode).map(inner), loc };
      case 'unit_type':
        return { text: node.text, name: '()', path: '()', args: [], loc };
      case 'array_type': {
        const elem = field(node, 'element');
        const len = field(node, 'length');
        const n = len?.type === 'integer_literal' ? Number(len.text.replace(/_/g, '').replace(/usize$/, '')) : undefined;
        return { text: node.text, name: '[]', path: '[]', args: elem ? [inner(elem)] : [], arrayLen: n, loc };
      }
      case 'reference_type': {
        const referent = field(node, 'type');
        return referent ? { ...inner(referent), text: node.text, loc } : unknownType(node.text, loc);
      }
      default:
        return unknownType(node.text, loc);
    }
  }

  private named(node: Node, segs: string[], args: TypeRef[]): TypeRef {
    const path = this.resolvePath(segs);
    const name = path.split('::').pop() ?? node.text;
    return { text: node.text, name, path, args, loc: this.loc(node) };
  }
}

/** Deep enough for any real type; a fuzzed `Vec<Vec<Vec<…` thousands deep would exhaust the stack. */
const MAX_TYPE_DEPTH = 64;

function unknownType(text: string, loc: Loc): TypeRef {
  return { text, name: text, path: text, args: [], loc };
}

const TYPE_NODES = new Set([
  'generic_type',
  'type_identifier',
  'primitive_type',
  'scoped_type_identifier',
  'tuple_type',
  'unit_type',
  'array_type',
  'reference_type',
  'function_type',
  'dynamic_type',
  'abstract_type',
  'pointer_type',
  'never_type',
  'bounded_type',
]);

export function isTypeNode(node: Node): boolean {
  return TYPE_NODES.has(node.type);
}

/** Names `use ic_stable_structures::*` brings in, which shadow the prelude and std imports by glob. */
const STABLE_EXPORTS = new Set([
  'BTreeMap',
  'BTreeSet',
  'Vec',
  'Cell',
  'Log',
  'MinHeap',
  'StableBTreeMap',
  'StableBTreeSet',
  'StableVec',
  'StableCell',
  'StableLog',
  'StableMinHeap',
  'Storable',
  'BoundedStorable',
  'DefaultMemoryImpl',
  'Memory',
  'RestrictedMemory',
]);
