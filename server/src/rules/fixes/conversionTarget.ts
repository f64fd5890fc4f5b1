import { compareVersion } from '../../rust/project/crate';
import type { CanisterModel } from '../../rust/model/canister';
import type { HeapStateDecl, TypeDef, TypeRef } from '../../rust/model/facts';
import { callParts, field, named, pathSegments } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import { collectionRewriter } from './collectionSites';
import { counterRewriter } from './counterSites';
import type { SiteRewriter } from './staticUses';
import { canGenerateStorable } from './storableImpl';
import { isUnsignedInt, storability } from './storableSupport';
import type { SyntaxCache } from './syntaxCache';

export type StableKind = 'StableBTreeMap' | 'StableVec' | 'StableLog' | 'StableCell';

/** What one heap static becomes. */
export interface ConversionTarget {
  structure: StableKind;
  /** The type arguments before the memory type(s): `K, V`, `T`. */
  typeArgs: TypeRef[];
  /** Types of the crate that need a generated Storable impl. */
  custom: TypeDef[];
  /** Const name suffixes, one per memory: StableLog takes an index and a data memory. */
  idSuffixes: string[];
  rewriter: SiteRewriter;
  /** `Cell<u64>` becomes `RefCell<StableCell<..>>`, so the whole type and initializer change. */
  replacesWrapper: boolean;
  /** The initializer's argument that `W::new(ARG)` hands over, replaced in place. */
  initArg?: Node;
  /** The whole initializer expression, replaced when there is no `W::new(ARG)`. */
  init: Node;
  /** StableCell's initial value: the counter's initial value. */
  cellDefault?: string;
}

const MAP_PATHS = new Set([
  'HashMap',
  'BTreeMap',
  'std::collections::HashMap',
  'std::collections::BTreeMap',
  'std::collections::hash_map::HashMap',
  'std::collections::btree_map::BTreeMap',
  'alloc::collections::BTreeMap',
]);
const VEC_PATHS = new Set(['Vec', 'std::vec::Vec', 'alloc::vec::Vec']);

/** The empty constructors a collection may start from: anything else holds data the fix would drop. */
function isEmptyCollection(n: Node | undefined): boolean {
  if (!n) return false;
  if (n.type === 'macro_invocation') return field(n, 'macro')?.text === 'vec' && named(n).every((c) => c.type !== 'token_tree' || named(c).length === 0);
  if (n.type !== 'call_expression') return false;
  const segs = pathSegments(field(n, 'function'));
  const last = segs[segs.length - 1];
  return (last === 'new' && callParts(n).args.length === 0) || last === 'default' || last === 'with_capacity';
}

/** Splits `RefCell::new(ARG)` into ARG; `RefCell::default()`-style initializers have none. */
function wrapperArg(init: Node, wrapper: string): Node | undefined {
  if (init.type !== 'call_expression') return undefined;
  const segs = pathSegments(field(init, 'function'));
  const { args } = callParts(init);
  return segs.length >= 2 && segs[segs.length - 1] === 'new' && segs[segs.length - 2] === wrapper && args.length === 1 ? args[0] : undefined;
}

function isDefaultCall(init: Node): boolean {
  if (init.type !== 'call_expression' || callParts(init).args.length > 0) return false;
  return pathSegments(field(init, 'function')).pop() === 'default';
}

/**
 * The stable structure a thread_local static converts to, or undefined when the fix cannot do it
 * faithfully: other shapes, types without a Storable impl, or initial contents it would drop.
 */
export function conversionTarget(h: HeapStateDecl, model: CanisterModel, syntax: SyntaxCache): ConversionTarget | undefined {
  if (h.context !== 'thread_local' || (h.wrapper !== 'RefCell' && h.wrapper !== 'Cell') || h.type.args[0] !== h.inner) return undefined;
  const item = syntax.nodeAt(h.loc.file, h.loc.start, 'static_item');
  const init = item && field(item, 'value');
  if (!init) return undefined;
  const initArg = wrapperArg(init, h.wrapper);
  if (!initArg && !isDefaultCall(init)) return undefined;
  const v07 = compareVersion(model.version, 0, 7) >= 0;
  const v05 = compareVersion(model.version, 0, 6) < 0;
  const inner = h.inner;
  const common = { init, initArg };
  const customOk = (defs: TypeDef[]) => defs.every((d) => canGenerateStorable(syntax, d));

  if (isUnsignedInt(inner)) {
    const rewriter = counterRewriter({ wrapper: h.wrapper, v07, staticName: h.name });
    const cellDefault = initArg?.text ?? '0';
    return {
      ...common,
      structure: 'StableCell',
      typeArgs: [inner],
      custom: [],
      idSuffixes: ['MEMORY_ID'],
      rewriter,
      replacesWrapper: h.wrapper === 'Cell',
      cellDefault,
    };
  }
  if (h.wrapper !== 'RefCell' || (initArg && !isEmptyCollection(initArg))) return undefined;
  if (MAP_PATHS.has(inner.path) && inner.args.length === 2) {
    const [k, v] = inner.args;
    const ks = storability(k, model, true);
    const vs = storability(v, model, false);
    if (!ks.ok || !vs.ok || !customOk([...ks.custom, ...vs.custom])) return undefined;
    // 0.5's map needs BoundedStorable keys and values (research §1.1).
    if (v05 && (model.boundOf(k).kind !== 'bounded' || model.boundOf(v).kind !== 'bounded')) return undefined;
    const rewriter = collectionRewriter({ kind: 'map', v07, clearNew: compareVersion(model.version, 0, 6, 3) >= 0, staticName: h.name });
    return {
      ...common,
      structure: 'StableBTreeMap',
      typeArgs: [k, v],
      custom: unique([...ks.custom, ...vs.custom]),
      idSuffixes: ['MEMORY_ID'],
      rewriter,
      replacesWrapper: false,
    };
  }
  if (VEC_PATHS.has(inner.path) && inner.args.length === 1) {
    const [t] = inner.args;
    const ts = storability(t, model, false);
    if (!ts.ok || !customOk(ts.custom)) return undefined;
    // StableVec needs a bounded element (research §3.4); a log takes any Storable.
    const bounded = ts.custom.length === 0 && model.boundOf(t).kind === 'bounded';
    const kind = bounded ? 'vec' : 'log';
    const rewriter = collectionRewriter({ kind, v07, clearNew: false, staticName: h.name });
    const structure = bounded ? 'StableVec' : 'StableLog';
    const idSuffixes = bounded ? ['MEMORY_ID'] : ['INDEX_MEMORY_ID', 'DATA_MEMORY_ID'];
    return { ...common, structure, typeArgs: [t], custom: ts.custom, idSuffixes, rewriter, replacesWrapper: false };
  }
  return undefined;
}

function unique(defs: TypeDef[]): TypeDef[] {
  return defs.filter((d, i) => defs.findIndex((x) => x.name === d.name) === i);
}
