import type { Node } from '../syntax/treeSitter';
import { callParts, descendants, field, intLiteral, lastSegment, named, pathSegments, unwrapExpr } from '../syntax/syntax';
import type { IdRef, MemorySource } from './facts';
import type { FileContext } from './fileContext';

/** `MemoryId::new(ARG)` → ARG, for any path spelling of MemoryId. */
export function memoryIdNewArg(node: Node): Node | undefined {
  if (node.type !== 'call_expression') return undefined;
  const callee = field(node, 'function');
  const segs = pathSegments(callee);
  if (segs.length < 2 || segs[segs.length - 1] !== 'new' || segs[segs.length - 2] !== 'MemoryId') return undefined;
  return callParts(node).args[0];
}

/** Reads a MemoryId value expression: a literal, a const, `MemoryId::new(x)` or `x as u8`. */
export function idRef(ctx: FileContext, node: Node | undefined): IdRef | undefined {
  if (!node) return undefined;
  const n = unwrapExpr(node);
  const inner = memoryIdNewArg(n);
  if (inner) return idRef(ctx, inner);
  const lit = intLiteral(n);
  if (lit !== undefined) return { kind: 'literal', value: lit, loc: ctx.loc(n) };
  if (n.type === 'identifier' || n.type === 'scoped_identifier') {
    const name = lastSegment(n);
    if (name && /^[A-Z][A-Z0-9_]*$/.test(name)) return { kind: 'const', name, loc: ctx.loc(n) };
    return undefined;
  }
  if (n.type === 'type_cast_expression') return idRef(ctx, field(n, 'value'));
  return undefined;
}

function isDefaultMemory(ctx: FileContext, call: Node): boolean {
  const segs = pathSegments(field(call, 'function'));
  return segs.length >= 2 && segs[segs.length - 1] === 'default' && segs[segs.length - 2] === 'DefaultMemoryImpl';
}

/** A `.get(ID)` call on a memory manager anywhere inside `node`. */
function managerGet(ctx: FileContext, node: Node): MemorySource | undefined {
  const calls = node.type === 'call_expression' ? [node, ...descendants(node, 'call_expression')] : descendants(node, 'call_expression');
  for (const call of calls) {
    const parts = callParts(call);
    if (parts.method !== 'get' || parts.args.length !== 1) continue;
    const id = idRef(ctx, parts.args[0]);
    if (id) return { kind: 'memoryId', id, loc: ctx.loc(parts.args[0]) };
  }
  return undefined;
}

/**
 * What memory a structure constructor is given. Follows local `let` bindings in the same
 * function, so `let mem = mm.get(MemoryId::new(1)); BTreeMap::init(mem)` resolves.
 */
export function memorySource(ctx: FileContext, arg: Node): MemorySource {
  const n = unwrapExpr(arg);
  const loc = ctx.loc(n);
  if (n.type === 'call_expression') {
    if (isDefaultMemory(ctx, n)) return { kind: 'default', loc };
    const viaGet = managerGet(ctx, n);
    if (viaGet) return viaGet;
    const parts = callParts(n);
    if (parts.method === 'clone' && parts.receiver) return memorySource(ctx, parts.receiver);
    if (!parts.method && parts.callee) {
      const fn = lastSegment(parts.callee);
      if (fn) {
        const args = parts.args.map((a) => idRef(ctx, a)).filter((r): r is IdRef => r !== undefined);
        return { kind: 'getter', fn, args, loc };
      }
    }
  }
  if (n.type === 'identifier') {
    const bound = localBinding(n);
    if (bound) return memorySource(ctx, bound);
  }
  const anyGet = managerGet(ctx, n);
  if (anyGet) return anyGet;
  const newCall = descendants(n, 'call_expression').find((c) => memoryIdNewArg(c));
  const id = newCall ? idRef(ctx, newCall) : undefined;
  if (id) return { kind: 'memoryId', id, loc: ctx.loc(newCall!) };
  return { kind: 'unknown', text: n.text, loc };
}

/** The value of the nearest earlier `let NAME = value;` in the enclosing blocks. */
function localBinding(ident: Node): Node | undefined {
  const name = ident.text;
  for (let block = ident.parent; block; block = block.parent) {
    if (block.type === 'function_item') return undefined;
    if (block.type !== 'block') continue;
    for (const stmt of named(block)) {
      if (stmt.startIndex >= ident.startIndex) break;
      if (stmt.type !== 'let_declaration') continue;
      if (field(stmt, 'pattern')?.text === name) return field(stmt, 'value');
    }
  }
  return undefined;
}
