import type { Node } from '../syntax/treeSitter';
import { field, named } from '../syntax/syntax';

/** Functions that read saved state back from stable memory (ic-cdk, ic-stable-memory), or decode bytes into it. */
export const RESTORES = new Set([
  'stable_restore',
  'retrieve_custom_data',
  'decode_one',
  'decode_args',
  'from_reader',
  'from_slice',
  'from_read',
  'deserialize',
]);

/** Methods on a `Result` that replace an error with a value: the error is gone without a trace. */
const SWALLOWING = new Set(['unwrap_or_default', 'unwrap_or', 'unwrap_or_else', 'ok']);
/** Macros and calls that stop the call, so an error arm that makes one does not discard the error. */
const TRAPS = new Set(['panic', 'unreachable', 'todo', 'unimplemented', 'trap', 'expect', 'unwrap', 'expect_err']);

/** True when the block (an `else` branch, a match arm) stops the call: it panics, traps or unwraps. */
function traps(node: Node | undefined): boolean {
  if (!node) return false;
  for (const n of node.descendantsOfType(['macro_invocation', 'call_expression'])) {
    if (!n) continue;
    if (n.type === 'macro_invocation' && TRAPS.has(field(n, 'macro')?.text ?? '')) return true;
    const fn = field(n, 'function');
    const name = fn?.type === 'field_expression' ? field(fn, 'field')?.text : fn?.text.split('::').pop();
    if (name && TRAPS.has(name)) return true;
  }
  return false;
}

/** True when the pattern names only the success case: `Ok(x)`, `Some(x)`. */
function onlySuccess(pattern: Node | undefined): boolean {
  if (pattern?.type !== 'tuple_struct_pattern') return false;
  const head = field(pattern, 'type')?.text;
  return head === 'Ok' || head === 'Some';
}

/**
 * How the caller treats a failed restore or decode: `swallowed` when the error becomes a value
 * (`unwrap_or_default()`, `.ok()`, `if let Ok(..)` with no trapping else, `let _ =`, an `Err` arm
 * that does not trap); undefined when it traps, propagates, or the code does something this cannot tell.
 */
export function errorSwallowed(call: Node): boolean {
  let node = call;
  // `stable_restore::<T>()?` hands the error to the caller: its handling is the caller's.
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'field_expression' && field(parent, 'value')?.id === node.id) {
    const method = field(parent, 'field')?.text ?? '';
    return SWALLOWING.has(method) && parent.parent?.type === 'call_expression';
  }
  if (parent.type === 'let_declaration') return field(parent, 'pattern')?.text === '_';
  if (parent.type === 'expression_statement') return true;
  if (parent.type === 'let_condition' && field(parent, 'value')?.id === node.id) {
    if (!onlySuccess(field(parent, 'pattern'))) return false;
    const ifExpr = parent.parent?.type === 'if_expression' ? parent.parent : parent.parent?.parent;
    if (ifExpr?.type !== 'if_expression') return false;
    const alternative = field(ifExpr, 'alternative');
    return !alternative || !traps(alternative);
  }
  if (parent.type === 'match_expression' && field(parent, 'value')?.id === node.id) {
    const arms = named(field(parent, 'body') ?? parent).filter((a) => a.type === 'match_arm');
    const failing = arms.filter((a) => !onlySuccess(named(field(a, 'pattern') ?? a)[0] ?? field(a, 'pattern')));
    return failing.length > 0 && failing.every((a) => !traps(field(a, 'value')));
  }
  return false;
}
