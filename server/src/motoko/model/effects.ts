import type { Loc } from '../../core/loc';
import { children, idText, walk, type MoNode, type MotokoText } from './ast';

/** Method and module function names that change a collection in place. */
const MUTATORS = new Set([
  'add',
  'put',
  'set',
  'insert',
  'remove',
  'delete',
  'replace',
  'clear',
  'push',
  'pushFront',
  'pushBack',
  'pop',
  'popFront',
  'popBack',
  'append',
  'enqueue',
  'dequeue',
  'update',
  'swap',
  'take',
  'addAll',
  'removeAll',
  'filterInPlace',
  'mapInPlace',
  'sortInPlace',
  'reverseInPlace',
  'putFront',
  'putBack',
  'removeLast',
  'share',
  'unshare',
  'retain',
  'truncate',
  'reserve',
  'addAt',
  'removeAt',
  'filterEntries',
]);

/** Mutators that take entries out: a field they empty again holds entries only for a while. */
const REMOVERS = new Set([
  'remove',
  'delete',
  'clear',
  'take',
  'pop',
  'popFront',
  'popBack',
  'dequeue',
  'removeAt',
  'removeLast',
  'removeAll',
  'filterInPlace',
  'retain',
  'truncate',
]);

export interface Effects {
  writes: { name: string; loc: Loc }[];
  /** Fields the body takes entries out of (`x.delete(k)`, `Map.remove(x, …)`). */
  removes: string[];
  /** Fields the body assigns or puts entries into. */
  adds: string[];
  /** Every actor field the body mentions. */
  reads: string[];
  calls: string[];
  /** Every statement is `a := b` between actor fields (vacuously true for an empty body). */
  copiesOnly: boolean;
  /** Those `a := b` statements, as `[a, b]`. */
  copies: [string, string][];
}

/** The variable an lvalue or receiver is rooted in: `r` for `r.users[0]`. */
function rootVar(exp: MoNode | undefined): MoNode | undefined {
  let e = exp;
  while (e && (e.name === 'IdxE' || e.name === 'DotE' || e.name === 'ParE')) e = children(e)[0];
  return e?.name === 'VarE' ? children(e)[0] : undefined;
}

/** The first argument of a call: its argument is one expression or a tuple; type arguments come before it. */
function firstArgument(call: MoNode): MoNode | undefined {
  const kids = children(call);
  const arg = kids[kids.length - 1];
  if (!arg || kids.length < 2) return undefined;
  return arg.name === 'TupE' ? children(arg)[0] : arg;
}

/** The statements of a function body: the block inside `async` for shared functions. */
export function bodyStatements(body: MoNode | undefined): MoNode[] | undefined {
  let b = body;
  if (b?.name === 'AsyncE') b = children(b).find((c) => c.name === 'BlockE');
  return b?.name === 'BlockE' ? children(b) : undefined;
}

/**
 * What a function body does to actor state: fields assigned (`x := …`, `x[i] := …`) or mutated
 * through a method or module call (`x.add(…)`, `Map.add(x, …)`), and the actor functions it calls.
 */
export function effectsOf(body: MoNode, fields: Set<string>, functions: Set<string>, text: MotokoText): Effects {
  const writes: Effects['writes'] = [];
  const calls = new Set<string>();
  const reads = new Set<string>();
  const removes = new Set<string>();
  const adds = new Set<string>();
  const write = (id: MoNode | undefined, removing = false) => {
    const name = idText(id);
    const loc = text.loc(id);
    if (name === undefined || !loc || !fields.has(name)) return;
    writes.push({ name, loc });
    (removing ? removes : adds).add(name);
  };
  walk(body, (n) => {
    const read = n.name === 'VarE' ? idText(children(n)[0]) : undefined;
    if (read !== undefined && fields.has(read)) reads.add(read);
    if (n.name === 'AssignE') write(rootVar(children(n)[0]));
    if (n.name !== 'CallE') return;
    const callee = children(n)[0];
    if (callee?.name === 'VarE') {
      const name = idText(children(callee)[0]);
      if (name !== undefined && functions.has(name)) calls.add(name);
    }
    if (callee?.name !== 'DotE') return;
    const [recv, fn] = children(callee);
    const method = idText(fn) ?? '';
    if (!MUTATORS.has(method) && !REMOVERS.has(method)) return;
    const root = rootVar(recv);
    if (root && fields.has(idText(root) ?? '')) write(root, REMOVERS.has(method));
    else write(rootVar(firstArgument(n)), REMOVERS.has(method));
  });
  const copies = copiesOf(body, fields);
  return { writes, removes: [...removes], adds: [...adds], reads: [...reads], calls: [...calls], copiesOnly: copies !== undefined, copies: copies ?? [] };
}

/** The `a := b` statements between fields, or undefined when the body does anything else. */
function copiesOf(body: MoNode, fields: Set<string>): [string, string][] | undefined {
  const statements = bodyStatements(body);
  if (!statements) return undefined;
  const out: [string, string][] = [];
  for (const s of statements) {
    const assign = s.name === 'ExpD' ? children(s)[0] : undefined;
    if (assign?.name !== 'AssignE') return undefined;
    const [to, from] = children(assign).map((e) => (e?.name === 'VarE' ? idText(children(e)[0]) : undefined));
    if (to === undefined || from === undefined || !fields.has(to) || !fields.has(from)) return undefined;
    out.push([to, from]);
  }
  return out;
}
