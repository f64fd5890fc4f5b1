import type { Node } from '../syntax/treeSitter';

/** Whether a `cfg` predicate holds in the canister's build (wasm32, no `test`, default features): yes, no, or either. */
export type CfgVerdict = 'on' | 'off' | 'maybe';

/** Features that only benchmarks and test tools turn on: code behind them is never deployed. */
const NON_CANISTER_FEATURES = new Set([
  'canbench',
  'canbench-rs',
  'bench',
  'benchmark',
  'benchmarks',
  'test',
  'tests',
  'testing',
  'test-utils',
  'test_utils',
  'mock',
  'mocks',
  'fuzzing',
]);

/** One term of a predicate's token tree: a name, `name = "value"`, or `name(…)`. */
interface Term {
  name: string;
  value?: string;
  args?: Node;
}

/** Splits the children of a `( … )` token tree into the terms between its commas. */
function termsOf(tree: Node): Term[] {
  const out: Term[] = [];
  let current: Term | undefined;
  let expectValue = false;
  for (const child of tree.children) {
    if (!child || child.type === '(' || child.type === ')') continue;
    if (child.type === ',') {
      if (current) out.push(current);
      current = undefined;
      expectValue = false;
    } else if (child.type === 'identifier' && !current) current = { name: child.text };
    else if (child.type === '=' && current) expectValue = true;
    else if (expectValue && current && child.type === 'string_literal') current.value = child.text.slice(1, -1);
    else if (child.type === 'token_tree' && current) current.args = child;
  }
  if (current) out.push(current);
  return out;
}

function evaluate(term: Term): CfgVerdict {
  if (term.args) {
    const parts = termsOf(term.args).map(evaluate);
    if (term.name === 'not' && parts.length === 1) return parts[0] === 'on' ? 'off' : parts[0] === 'off' ? 'on' : 'maybe';
    if (term.name === 'any') return parts.some((p) => p === 'on') ? 'on' : parts.length > 0 && parts.every((p) => p === 'off') ? 'off' : 'maybe';
    if (term.name === 'all') return parts.some((p) => p === 'off') ? 'off' : parts.every((p) => p === 'on') ? 'on' : 'maybe';
    return 'maybe';
  }
  if (term.value === undefined) return term.name === 'test' ? 'off' : 'maybe';
  if (term.name === 'target_arch') return term.value === 'wasm32' ? 'on' : 'off';
  if (term.name === 'feature' && NON_CANISTER_FEATURES.has(term.value)) return 'off';
  return 'maybe';
}

/**
 * The verdict of a `#[cfg(…)]` attribute's argument token tree. Unknown features may be built or
 * not, so they stay `maybe`; only what a canister build certainly leaves out is `off`.
 */
export function cfgVerdict(args: Node): CfgVerdict {
  const terms = termsOf(args);
  return terms.length === 1 ? evaluate(terms[0]) : 'maybe';
}
