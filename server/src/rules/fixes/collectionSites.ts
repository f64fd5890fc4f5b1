import { field, named, walk } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import { isTight, methodOn, rewriteValueCall, type SiteEdits } from './siteEdits';
import type { SiteRewriter, Subject } from './staticUses';

export interface CollectionOptions {
  kind: 'map' | 'vec' | 'log';
  /** 0.7+: map iterators yield LazyEntry, constructors and push return no Result. */
  v07: boolean;
  /** 0.6.3+: the map has `clear_new`. */
  clearNew: boolean;
  staticName: string;
}

/** Methods whose signature and meaning are the same on the std collection and the stable one. */
const SAME: Record<CollectionOptions['kind'], string[]> = {
  map: ['insert', 'remove', 'contains_key', 'len', 'is_empty'],
  vec: ['len', 'is_empty', 'pop'],
  log: ['len', 'is_empty'],
};

/**
 * Call sites of a HashMap/BTreeMap → StableBTreeMap or Vec → StableVec/StableLog conversion.
 * Stable structures hand out owned values (research §3.1), so `.get(k).cloned()` loses its
 * `.cloned()`, loop bindings lose their `*`, and 0.7 map entries go through `into_pair()`.
 */
export function collectionRewriter(o: CollectionOptions): SiteRewriter {
  const subject = (out: SiteEdits, s: Subject): void => {
    const m = methodOn(s.node);
    if (!m) return out.flag();
    // std maps take any borrowed form of the key (`&str` for String); StableBTreeMap takes `&K` only.
    if (o.kind === 'map' && KEYED.includes(m.name) && m.args[0] && isBorrowedForm(m.args[0])) return out.flag();
    if (SAME[o.kind].includes(m.name)) return;
    if (m.name === 'get' && o.kind === 'map') return mapGet(out, m.call);
    // The map's own `clear(self)` consumes it; `clear_new(&mut self)` (0.6.3+) is std's `clear`.
    if (m.name === 'clear' && o.kind === 'map' && o.clearNew && m.args.length === 0) {
      const name = field(field(m.call, 'function'), 'field')!;
      return out.replace(name.startIndex, name.endIndex, 'clear_new');
    }
    if (m.name === 'push' && o.kind !== 'map') return push(out, m.call, m.args, o);
    if (m.name === 'iter') return iterUse(out, m.call, o.kind === 'map', o.kind === 'map' && o.v07);
    if ((m.name === 'keys' || m.name === 'values') && o.kind === 'map' && o.v07) return iterUse(out, m.call, false, false);
    out.flag();
  };
  return { wrapper: 'RefCell', subject, localKey: (out) => out.flag() };
}

const KEYED = ['get', 'remove', 'contains_key'];

/** A key argument that is visibly not `&K`: a string literal or a `.as_str()`-style view. */
function isBorrowedForm(arg: Node): boolean {
  if (arg.type === 'string_literal') return true;
  const call = arg.type === 'call_expression' ? field(field(arg, 'function'), 'field')?.text : undefined;
  return call === 'as_str' || call === 'as_ref' || call === 'as_slice' || call === 'as_bytes';
}

/** `.get(k).cloned()` → `.get(k)`; `.is_some()`/`.is_none()` read the same; anything else borrows the value. */
function mapGet(out: SiteEdits, get: Node): void {
  const next = methodOn(get);
  if (next && next.args.length === 0 && (next.name === 'cloned' || next.name === 'copied')) return out.replace(get.endIndex, next.call.endIndex, '');
  if (next && (next.name === 'is_some' || next.name === 'is_none')) return;
  out.flag();
}

/** `v.push(x)` → `v.push(&x)` (StableVec) or `v.append(&x).expect(..)` (StableLog). */
function push(out: SiteEdits, call: Node, args: Node[], o: CollectionOptions): void {
  const value = args[0];
  if (args.length !== 1) return out.flag();
  const [open, close] = isTight(value) ? ['&', ''] : ['&(', ')'];
  if (o.kind === 'vec') {
    out.insert(value.startIndex, open);
    if (close) out.insert(value.endIndex, close);
    if (!o.v07) out.insert(call.endIndex, `.expect("failed to push to ${o.staticName}")`);
    return;
  }
  // The log's append returns the new index where push returned (), so the call's context matters.
  const method = field(field(call, 'function')!, 'field')!;
  const head = call.text.slice(0, method.startIndex - call.startIndex);
  const between = call.text.slice(method.endIndex - call.startIndex, value.startIndex - call.startIndex);
  const tail = call.text.slice(value.endIndex - call.startIndex);
  const pre = `${head}append${between}${open}`;
  rewriteValueCall(out, { site: call, value, pre, post: `${close}${tail}.expect("failed to append to ${o.staticName}")`, hoist: false, returnsValue: true });
}

/**
 * Uses of `.iter()` (and 0.7's `.keys()`/`.values()`): a `for` loop or a `.map(|..| ..)` gets
 * owned bindings, `.cloned()`/`.copied()` becomes redundant. Other adapters are left for review.
 */
function iterUse(out: SiteEdits, iter: Node, pairs: boolean, lazyEntries: boolean): void {
  const parent = iter.parent;
  const intoPair = () => lazyEntries && out.insert(iter.endIndex, '.map(|e| e.into_pair())');
  if (parent?.type === 'for_expression' && field(parent, 'value')?.id === iter.id) {
    const body = field(parent, 'body');
    if (!body || !ownBindings(out, field(parent, 'pattern'), body, pairs)) return out.flag();
    intoPair();
    return;
  }
  const next = methodOn(iter);
  if (next && next.args.length === 0 && !pairs && (next.name === 'cloned' || next.name === 'copied')) return out.replace(iter.endIndex, next.call.endIndex, '');
  if (next && next.args.length === 0 && next.name === 'count') return;
  if (next?.name === 'map' && next.args.length === 1 && next.args[0].type === 'closure_expression') {
    const closure = next.args[0];
    const params = named(field(closure, 'parameters') ?? closure);
    const body = field(closure, 'body');
    if (params.length !== 1 || !body || !ownBindings(out, params[0], body, pairs)) return out.flag();
    intoPair();
    return;
  }
  out.flag();
}

/**
 * Makes a loop or closure pattern fit owned items: `&x` patterns drop the `&`, and `*x` on a
 * binding that used to be a reference drops the `*`. False when the pattern is not that simple.
 */
function ownBindings(out: SiteEdits, pattern: Node | undefined, body: Node, pairs: boolean): boolean {
  if (!pattern) return false;
  // `_` is an anonymous node in tuple patterns, so punctuation is what gets filtered out.
  const elements = pattern.children.filter((c): c is Node => c !== null && !['(', ')', ','].includes(c.type) && !c.type.endsWith('comment'));
  const parts = pairs ? (pattern.type === 'tuple_pattern' ? elements : []) : [pattern];
  if (parts.length !== (pairs ? 2 : 1)) return false;
  const refs = new Set<string>();
  const edits: [number, number][] = [];
  for (const p of parts) {
    if (p.type === 'identifier') refs.add(p.text);
    else if (p.type === 'mut_pattern' && named(p)[0]?.type === 'identifier') refs.add(named(p)[0].text);
    else if (p.type === 'reference_pattern' && named(p)[0]?.type === 'identifier') edits.push([p.startIndex, named(p)[0].startIndex]);
    else if (p.text !== '_') return false;
  }
  for (const [start, end] of edits) out.replace(start, end, '');
  removeDerefs(out, body, refs);
  return true;
}

/** `*x` → `x` for the given bindings, in expressions and in macro arguments (`println!("{}", *x)`). */
function removeDerefs(out: SiteEdits, body: Node, names: Set<string>): void {
  walk(body, (n) => {
    if (n.type === 'unary_expression' && n.firstChild?.type === '*') {
      const operand = named(n)[0];
      if (operand?.type === 'identifier' && names.has(operand.text)) out.replace(n.startIndex, operand.startIndex, '');
    } else if (n.type === '*' && n.parent?.type === 'token_tree') {
      const next = n.nextSibling;
      const prev = n.previousSibling;
      const unary = !prev || [',', '(', '[', '{', '=', ';', '=>'].includes(prev.type);
      if (unary && next?.type === 'identifier' && names.has(next.text)) out.replace(n.startIndex, next.startIndex, '');
    }
  });
}
