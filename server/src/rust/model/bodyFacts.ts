import type { Node } from '../syntax/treeSitter';
import { field, named, pathSegments } from '../syntax/syntax';

/** The timer APIs of ic-cdk and ic-cdk-timers that arm a timer: what their closure calls runs later, in a message of its own. */
export const TIMERS = new Set(['set_timer', 'set_timer_interval', 'set_timer_interval_serial']);

/** True when `node` sits in an argument of a timer call between it and the function body. */
export function deferredByTimer(body: Node, node: Node): boolean {
  for (let n = node.parent; n && n.id !== body.id; n = n.parent) {
    if (n.type !== 'arguments' || n.parent?.type !== 'call_expression') continue;
    const segs = pathSegments(field(n.parent, 'function'));
    if (TIMERS.has(segs[segs.length - 1] ?? '')) return true;
  }
  return false;
}

/** The name of the function whose closure argument holds `node` (the innermost one): `mutate_state` in `mutate_state(|s| ..)`. */
export function closureHost(body: Node, node: Node): string | undefined {
  for (let n = node.parent; n && n.id !== body.id; n = n.parent) {
    if (n.type !== 'closure_expression' || n.parent?.type !== 'arguments' || n.parent.parent?.type !== 'call_expression') continue;
    const fn = field(n.parent.parent, 'function');
    const segs = fn?.type === 'field_expression' ? [field(fn, 'field')?.text ?? ''] : pathSegments(fn);
    return segs[segs.length - 1] || undefined;
  }
  return undefined;
}

const LITERALS = new Set(['integer_literal', 'float_literal', 'boolean_literal', 'string_literal', 'char_literal', 'unit_expression']);
const EMPTY_CONSTRUCTORS = new Set(['new', 'default']);

/** A value that holds nothing of the past: a literal, `None`, `Default::default()`, `X::new()`, `vec![]`. */
function isConstant(node: Node | undefined): boolean {
  if (!node) return false;
  if (LITERALS.has(node.type)) return true;
  if (node.type === 'identifier') return node.text === 'None';
  if (node.type === 'unary_expression') return isConstant(named(node)[0]);
  if (node.type === 'macro_invocation')
    return (
      field(node, 'macro')?.text === 'vec' &&
      !named(node).some((c) => c.type === 'token_tree' && c.text.replace(/\s/g, '') !== '[]' && c.text.replace(/\s/g, '') !== '()')
    );
  if (node.type !== 'call_expression') return false;
  const args = field(node, 'arguments');
  const segs = pathSegments(field(node, 'function'));
  return !!args && named(args).length === 0 && EMPTY_CONSTRUCTORS.has(segs[segs.length - 1] ?? '');
}

/** The expression a closure returns when its body is that one expression (or a block of one statement). */
function closureResult(closure: Node): Node | undefined {
  let body = field(closure, 'body');
  if (body?.type === 'block') {
    const stmts = named(body).filter((s) => !s.type.endsWith('comment'));
    if (stmts.length !== 1) return undefined;
    body = stmts[0].type === 'expression_statement' ? named(stmts[0])[0] : stmts[0];
  }
  return body;
}

/** True when `expr` sets what it works on to a constant: `*x = 0`, `x.set(None)`, `x.replace(None)`, `x.clear()`. */
function setsConstant(expr: Node | undefined): boolean {
  if (!expr) return false;
  if (expr.type === 'assignment_expression') return isConstant(field(expr, 'right'));
  if (expr.type !== 'call_expression') return false;
  const fn = field(expr, 'function');
  if (fn?.type !== 'field_expression') return false;
  const method = field(fn, 'field')?.text;
  const args = named(field(expr, 'arguments') ?? expr).filter((a) => !a.type.endsWith('comment'));
  if (method === 'clear') return args.length === 0;
  if (method === 'set' || method === 'replace') return args.length === 1 && isConstant(args[0]);
  return false;
}

const ACCESSORS = new Set(['with', 'with_borrow_mut']);

/**
 * True when the statement that names the static `ident` does nothing but set it to a constant:
 * `X.with(|c| *c.borrow_mut() = 0)`, `X.set(None)`, `X.with_borrow_mut(|m| m.clear())`, or `X = 0` on a `static mut`.
 */
export function resetsToConstant(ident: Node): boolean {
  let stmt: Node | null = ident.parent;
  while (stmt && stmt.type !== 'expression_statement' && stmt.type !== 'block') stmt = stmt.parent;
  if (stmt?.type !== 'expression_statement') return false;
  const expr = named(stmt)[0];
  if (!expr) return false;
  if (expr.type === 'assignment_expression') return field(expr, 'left')?.id === ident.id && isConstant(field(expr, 'right'));
  if (expr.type !== 'call_expression') return false;
  const fn = field(expr, 'function');
  if (fn?.type !== 'field_expression' || field(fn, 'value')?.id !== ident.id) return false;
  const method = field(fn, 'field')?.text ?? '';
  if (method === 'set' || method === 'replace') return setsConstant(expr);
  if (!ACCESSORS.has(method)) return false;
  const closure = named(field(expr, 'arguments') ?? expr).find((a) => a.type === 'closure_expression');
  return !!closure && setsConstant(closureResult(closure));
}

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==']);
const ASSERTS = new Set(['assert', 'assert_eq', 'debug_assert', 'debug_assert_eq', 'ensure']);

/** True when `node` is a `.len()` call, or holds one as the receiver chain's end (`x.len().min(..)` aside). */
function isLenCall(node: Node | undefined): boolean {
  if (node?.type !== 'call_expression') return false;
  const fn = field(node, 'function');
  return fn?.type === 'field_expression' && (field(fn, 'field')?.text === 'len' || field(fn, 'field')?.text === 'count');
}

/**
 * True when the body compares a length: a comparison with a `.len()` (or `.chars().count()`) operand,
 * or an assertion macro whose tokens hold `.len()` (macro arguments are tokens, not expressions, to the parser).
 */
export function comparesLength(body: Node, descendants: (root: Node, types: string[]) => Node[]): boolean {
  for (const n of descendants(body, ['binary_expression', 'macro_invocation'])) {
    if (n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text ?? '';
      if (COMPARISONS.has(op) && (isLenCall(field(n, 'left')) || isLenCall(field(n, 'right')))) return true;
    } else if (ASSERTS.has(field(n, 'macro')?.text ?? '')) {
      const tokens = n.descendantsOfType('identifier').filter((t) => t !== null);
      if (tokens.some((t) => t.text === 'len')) return true;
    }
  }
  return false;
}
