import type { Node } from '../syntax/treeSitter';
import { field, named, pathSegments } from '../syntax/syntax';
import type { CallSite, FunctionDecl, RawStableUse } from './facts';
import type { FileContext } from './fileContext';
import { attributesOf, inTestCode } from './items';
import { errorSwallowed, RESTORES } from './errorHandling';
import { closureHost, comparesLength, deferredByTimer, resetsToConstant } from './bodyFacts';

const HOOKS = new Set(['init', 'pre_upgrade', 'post_upgrade']);
const ENTRY_POINTS = new Set(['update', 'query', 'heartbeat', 'inspect_message', 'on_low_wasm_memory']);
const WRITE_METHODS = new Set(['borrow_mut', 'as_mut', 'with_borrow_mut', 'set', 'replace', 'take', 'insert', 'push', 'remove', 'lock', 'write', 'get_mut']);

/** The statements of a block: comments are not statements, so "first" and "last" ignore them. */
function statementsOf(body: Node): Node[] {
  return named(body).filter((s) => !s.type.endsWith('comment'));
}

// Statement spans per body, computed once: calls are placed by offset instead of climbing parents.
const statementSpans = new WeakMap<Node, [number, number][]>();

function topStatementIndex(body: Node, node: Node): number {
  let spans = statementSpans.get(body);
  if (!spans) {
    spans = statementsOf(body).map((s) => [s.startIndex, s.endIndex]);
    statementSpans.set(body, spans);
  }
  return spans.findIndex(([start, end]) => node.startIndex >= start && node.endIndex <= end);
}

const EXPORTED_HOOKS = new Map<string, FunctionDecl['hook']>([
  ['canister_init', 'init'],
  ['canister_pre_upgrade', 'pre_upgrade'],
  ['canister_post_upgrade', 'post_upgrade'],
]);

/** The hook a function implements: `#[init]`-style macros, or `#[export_name = "canister_init"]` written by hand. */
function hookOf(fn: Node, attrs: string[]): FunctionDecl['hook'] {
  const byMacro = attrs.find((a) => HOOKS.has(a));
  if (byMacro) return byMacro as FunctionDecl['hook'];
  for (const a of attributesOf(fn)) {
    if (a.path.join('::') !== 'export_name') continue;
    const attr = named(a.node).find((c) => c.type === 'attribute');
    const value = field(attr, 'value');
    const text = value ? named(value).find((c) => c.type === 'string_content')?.text : undefined;
    if (text && EXPORTED_HOOKS.has(text)) return EXPORTED_HOOKS.get(text);
  }
  return undefined;
}

function isIgnored(call: Node): boolean {
  const parent = call.parent;
  if (!parent) return false;
  if (parent.type === 'expression_statement') return true;
  if (parent.type === 'let_declaration') return field(parent, 'pattern')?.text === '_';
  return false;
}

const ACCESSORS = new Set(['with', 'with_borrow', 'with_borrow_mut']);

/**
 * The static a method call works on: the root of its receiver chain (`X.lock().unwrap().remove(..)`),
 * or the static whose `with` closure holds the call (`X.with(|x| x.borrow_mut().remove(..))`).
 */
function receiverStatic(callee: Node, body: Node): string | undefined {
  let root: Node | undefined = field(callee, 'value');
  while (root && (root.type === 'field_expression' || root.type === 'call_expression' || root.type === 'try_expression' || root.type === 'unary_expression')) {
    root =
      root.type === 'field_expression'
        ? field(root, 'value')
        : root.type === 'call_expression'
          ? field(root, 'function')
          : (root.namedChildren[0] ?? undefined);
  }
  if (root?.type === 'identifier' && isStaticName(root.text)) return root.text;
  for (let n = callee.parent; n && n.id !== body.id; n = n.parent) {
    if (n.type !== 'call_expression') continue;
    const fn = field(n, 'function');
    const value = fn?.type === 'field_expression' ? field(fn, 'value') : undefined;
    if (value?.type === 'identifier' && ACCESSORS.has(field(fn!, 'field')?.text ?? '') && isStaticName(value.text)) return value.text;
  }
  return undefined;
}

const CONDITIONS = new Set(['if_expression', 'match_expression', 'else_clause', 'match_arm']);
const BRANCHES = new Set([...CONDITIONS, 'while_expression', 'for_expression', 'loop_expression']);

/** True when `node` sits under a branch or loop between it and the function body: it may not run. */
export function underBranch(body: Node, node: Node, kinds = BRANCHES): boolean {
  for (let n = node.parent; n && n.id !== body.id; n = n.parent) {
    if (kinds.has(n.type)) {
      // The condition of an `if` always runs; only its blocks are branches.
      if (n.type === 'if_expression' && field(n, 'condition') && ancestorOrSelf(field(n, 'condition')!, node)) continue;
      return true;
    }
  }
  return false;
}

function ancestorOrSelf(a: Node, node: Node): boolean {
  return node.startIndex >= a.startIndex && node.endIndex <= a.endIndex;
}

function callSite(ctx: FileContext, body: Node, node: Node): CallSite | undefined {
  if (node.type === 'macro_invocation') {
    const macro = field(node, 'macro');
    const segs = pathSegments(macro);
    if (!macro || segs.length === 0) return undefined;
    return {
      path: segs.join('::'),
      name: segs[segs.length - 1],
      isMethod: false,
      isMacro: true,
      loc: ctx.loc(macro),
      stmt: topStatementIndex(body, node),
      resultIgnored: isIgnored(node),
      conditional: underBranch(body, node),
    };
  }
  // Only the callee is read: the arguments matter to no call site.
  const callee = field(node, 'function');
  if (callee?.type === 'field_expression') {
    const nameNode = field(callee, 'field');
    const method = nameNode?.text;
    // Most method calls (`map`, `collect`, `len`) matter to no rule; keeping them would only cost memory and copies.
    if (!method || !METHODS_OF_INTEREST.has(method)) return undefined;
    return {
      path: method,
      name: method,
      isMethod: true,
      isMacro: false,
      loc: ctx.loc(nameNode ?? node),
      stmt: topStatementIndex(body, node),
      resultIgnored: isIgnored(node),
      target: receiverStatic(callee, body),
      closureOf: closureHost(body, node),
    };
  }
  const written = pathSegments(callee);
  const resolved = ctx.resolvePath(written);
  const segs = callsImportedMacro(written, resolved) ? written : resolved.split('::').filter(Boolean);
  if (!callee || segs.length === 0) return undefined;
  // `stable_restore::<T>()`: the name is the function's, without its type arguments.
  const base = callee.type === 'generic_function' ? (field(callee, 'function') ?? callee) : callee;
  const scoped = base.type === 'scoped_identifier';
  const nameNode = scoped ? (field(base, 'name') ?? base) : base;
  const typeNode = scoped ? lastSegmentNode(field(base, 'path')) : undefined;
  return {
    path: segs.join('::'),
    name: segs[segs.length - 1],
    isMethod: false,
    isMacro: false,
    loc: ctx.loc(nameNode),
    typeLoc: typeNode ? ctx.loc(typeNode) : undefined,
    stmt: topStatementIndex(body, node),
    resultIgnored: isIgnored(node),
    conditional: underBranch(body, node, CONDITIONS),
    ...(deferredByTimer(body, node) ? { deferred: true } : {}),
    ...(RESTORES.has(segs[segs.length - 1]) && errorSwallowed(node) ? { swallowsError: true } : {}),
  };
}

/** The self type of the `impl` block that holds the function, by its last path segment. */
function implTypeOf(fn: Node): string | undefined {
  const list = fn.parent;
  const impl = list?.type === 'declaration_list' ? list.parent : undefined;
  if (impl?.type !== 'impl_item') return undefined;
  const segs = pathSegments(field(impl, 'type'));
  return segs[segs.length - 1];
}

/** The guard an entry point's attribute names: `#[update(guard = "caller_is_controller")]`. */
function guardOf(fn: Node): string | undefined {
  for (const a of attributesOf(fn)) {
    if (!a.args || !ENTRY_POINTS.has(a.path[a.path.length - 1])) continue;
    const tokens = named(a.args);
    const at = tokens.findIndex((t) => t.type === 'identifier' && t.text === 'guard');
    const value = at >= 0 ? tokens.slice(at + 1).find((t) => t.type === 'string_literal') : undefined;
    const name = value && named(value).find((c) => c.type === 'string_content')?.text;
    if (name) return name;
  }
  return undefined;
}

/**
 * True when a bare call's name resolves only through the `use` of an attribute macro (`use ic_cdk::init;`
 * then `init(arg)` in post_upgrade): macros and functions live in different namespaces, so the call
 * goes to the crate's own function of that name.
 */
function callsImportedMacro(written: string[], resolved: string): boolean {
  if (written.length !== 1) return false;
  const segs = resolved.split('::');
  return segs.length > 1 && (segs[0] === 'ic_cdk' || segs[0] === 'ic_cdk_macros') && (HOOKS.has(written[0]) || ENTRY_POINTS.has(written[0]));
}

/** The node of a path's last segment: `StableWriter` in `ic_cdk::StableWriter` or `StableWriter::<M>`. */
function lastSegmentNode(path: Node | undefined): Node | undefined {
  if (!path) return undefined;
  if (path.type === 'scoped_identifier' || path.type === 'scoped_type_identifier') return field(path, 'name');
  if (path.type === 'generic_type') return lastSegmentNode(field(path, 'type'));
  return path.type === 'identifier' || path.type === 'type_identifier' ? path : undefined;
}

/** The names function bodies are searched for as statics: SCREAMING_CASE of two characters or more. */
export function isStaticName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name) && /[A-Z]/.test(name) && name.length > 1;
}

/** Whether the use of static `ident` writes it: `X.with(|s| s.borrow_mut()..)`, `X.set(..)`, `X.lock()`. */
function writesStatic(ident: Node): boolean {
  const fe = ident.parent;
  // `X = v;` and `X += v;` on a `static mut`.
  if ((fe?.type === 'assignment_expression' || fe?.type === 'compound_assignment_expr') && field(fe, 'left')?.id === ident.id) return true;
  if (fe?.type !== 'field_expression' || field(fe, 'value')?.id !== ident.id) return false;
  const method = field(fe, 'field')?.text ?? '';
  if (WRITE_METHODS.has(method)) return true;
  if (method !== 'with') return false;
  const call = fe.parent;
  return call ? call.descendantsOfType('field_identifier').some((n) => n !== null && WRITE_METHODS.has(n.text)) : false;
}

const CALL_NODES = ['call_expression', 'macro_invocation'];
/** Identifiers inside macro arguments (`println!("{}", COUNTER.with(..))`) count as uses of statics too. */
const BODY_NODES = [...CALL_NODES, 'identifier'];

const isUpper = (c: number) => c >= 65 && c <= 90;
const isWordChar = (c: number) => isUpper(c) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;

/** Whether `text[start, end)` holds a word of two or more characters with no lower-case letter, as static names are. */
function hasUpperCaseWord(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const wordStart = i;
    let lower = false;
    let upper = false;
    for (; i < end && isWordChar(text.charCodeAt(i)); i++) {
      const w = text.charCodeAt(i);
      if (w >= 97 && w <= 122) lower = true;
      else if (isUpper(w)) upper = true;
    }
    if (!lower && upper && i - wordStart > 1) return true;
  }
  return false;
}

/** Methods that take entries out of a collection or cell: code that empties state again on its own. */
export const REMOVALS = ['remove', 'pop', 'pop_front', 'pop_back', 'drain', 'truncate', 'take', 'split_off'];

/** The method calls rules look at: cache clearing and removals, version-specific APIs and serialisation. */
/** Methods that put entries into a collection. */
export const INSERTIONS = ['insert', 'push', 'push_back', 'push_front', 'extend', 'append', 'entry'];
export const INSERTING = new Set(INSERTIONS);

/** Methods that check a value before it is used: `args.validate()?`. */
export const VALIDATIONS = ['validate', 'is_valid', 'check'];

/** Methods a hook delegates to on the state (`read_state(|s| s.pre_upgrade())`): followed like calls. */
export const HOOK_METHODS = new Set(['pre_upgrade', 'post_upgrade']);

export const METHODS_OF_INTEREST = new Set(['clear', 'retain', 'reclaim_memory', 'serialize', ...REMOVALS, ...INSERTIONS, ...VALIDATIONS, ...HOOK_METHODS]);

export function extractFunctions(ctx: FileContext, root: Node): FunctionDecl[] {
  const out: FunctionDecl[] = [];
  for (const fn of ctx.descendants(root, 'function_item')) {
    if (inTestCode(fn)) continue;
    const nameNode = field(fn, 'name');
    if (!nameNode) continue;
    const attrs = attributesOf(fn).map((a) => a.path[a.path.length - 1]);
    const hook = hookOf(fn, attrs);
    const body = field(fn, 'body');
    const decl: FunctionDecl = {
      name: nameNode.text,
      hook,
      entry: attrs.find((a) => ENTRY_POINTS.has(a)),
      guard: guardOf(fn),
      implOf: implTypeOf(fn),
      calls: [],
      statics: [],
      staticWrites: [],
      stmtCount: body ? statementsOf(body).length : 0,
      nameLoc: ctx.loc(nameNode),
      loc: ctx.loc(fn),
      bodyLoc: body ? ctx.loc(body) : undefined,
    };
    if (body) {
      const statics = new Set<string>();
      const writes = new Set<string>();
      const certain = new Set<string>();
      const resets = new Set<string>();
      const reused = new Set<string>();
      const varying = new Set<string>();
      // One query in wasm finds what the body needs; walking every node from JavaScript costs far more.
      // Identifiers are asked for only when the body has a word that could name a static.
      const wanted = hasUpperCaseWord(ctx.text, body.startIndex, body.endIndex) ? BODY_NODES : CALL_NODES;
      for (const n of ctx.descendants(body, wanted)) {
        if (n.type === 'identifier') {
          if (!isStaticName(n.text)) continue;
          const first = !statics.has(n.text);
          if (!first && resets.has(n.text)) reused.add(n.text);
          statics.add(n.text);
          if (writesStatic(n)) {
            writes.add(n.text);
            // A loop over what was restored rebuilds what it writes: when it runs no time, there was nothing to rebuild.
            if (!underBranch(body, n, CONDITIONS)) certain.add(n.text);
            const constant = resetsToConstant(n);
            if (!constant) varying.add(n.text);
            if (first && !underBranch(body, n) && constant) resets.add(n.text);
          }
          continue;
        }
        const site = callSite(ctx, body, n);
        if (site) decl.calls.push(site);
      }
      decl.statics = [...statics];
      decl.staticWrites = [...writes];
      decl.certainWrites = [...certain];
      if (resets.size > 0) decl.resetsFirst = [...resets];
      // Most bodies never take a length: the substring test spares them the query.
      if (ctx.text.slice(body.startIndex, body.endIndex).includes('len()') && comparesLength(body, (r, t) => ctx.descendants(r, t))) decl.checksLength = true;
      if (reused.size > 0) decl.resetThenUsed = [...reused];
      if (varying.size > 0) decl.varyingWrites = [...varying];
    }
    out.push(decl);
  }
  return out;
}

const RAW_WRITES = new Set(['stable_write', 'stable64_write', 'stable_grow', 'stable64_grow']);
const STABLE_MEMORY_LIFECYCLE = new Set([
  'stable_memory_init',
  'stable_memory_pre_upgrade',
  'stable_memory_post_upgrade',
  'store_custom_data',
  'retrieve_custom_data',
  'init_allocator',
  'deinit_allocator',
  'reinit_allocator',
]);

/** stable_save/stable_restore, raw stable writes, StableWriter and ic-stable-memory use anywhere in the file. */
export function extractRawStable(ctx: FileContext, functions: FunctionDecl[]): RawStableUse[] {
  const out: RawStableUse[] = [];
  for (const fn of functions) {
    for (const c of fn.calls) {
      if (c.isMethod) continue;
      const segs = c.path.split('::');
      if (c.name === 'stable_save') out.push({ kind: 'stable_save', name: c.name, loc: c.loc, fnName: fn.name });
      else if (c.name === 'stable_restore') out.push({ kind: 'stable_restore', name: c.name, loc: c.loc, fnName: fn.name });
      else if (RAW_WRITES.has(c.name) && (segs.length === 1 || segs.includes('stable') || segs.includes('api')))
        out.push({ kind: 'raw_write', name: c.name, loc: c.loc, fnName: fn.name });
      else if (segs.some((s) => s === 'StableWriter' || s === 'BufferedStableWriter'))
        out.push({ kind: 'stable_writer', name: segs[segs.length - 2] ?? c.name, loc: c.typeLoc ?? c.loc, fnName: fn.name });
      else if (segs[0] === 'ic_stable_memory' || STABLE_MEMORY_LIFECYCLE.has(c.name))
        out.push({ kind: 'ic_stable_memory', name: c.name, loc: c.loc, fnName: fn.name });
    }
  }
  return out;
}
