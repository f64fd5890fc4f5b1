import { ancestor, field, named, walk } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import { methodOn, SiteEdits } from './siteEdits';
import type { SyntaxCache } from './syntaxCache';

/** How code reaches the value inside a static's cell. */
export interface Subject {
  /** An expression that denotes the value: `p.borrow()`, a `let` bound to it, or a with_borrow param. */
  node: Node;
  /** `c` of `X.with(|c| ..)` when the static is a `Cell`: the rewriter works on `c.get()` / `c.set()`. */
  cellParam?: boolean;
}

/** What the kind-specific rewriters implement. */
export interface SiteRewriter {
  /** Rewrites one use of the value, or flags it for review. */
  subject(out: SiteEdits, s: Subject): void;
  /** Rewrites `X.method(..)` called on the LocalKey itself (`X.get()`, `X.set(v)`), or flags it. */
  localKey(out: SiteEdits, staticExpr: Node, method: string, call: Node, args: Node[]): void;
  /** Whether the closure parameter of `X.with` is the cell itself (RefCell) or holds the value (Cell). */
  wrapper: 'RefCell' | 'Cell';
}

/** Identifiers spelled `name` below `body` that read the variable, not ones that bind or shadow it. */
function uses(body: Node, name: string): Node[] {
  const out: Node[] = [];
  walk(body, (n) => {
    if (n.type === 'closure_expression' && n.id !== body.id) {
      const params = field(n, 'parameters');
      if (params && params.descendantsOfType('identifier').some((i) => i?.text === name)) return false;
    }
    if (n.type !== 'identifier' || n.text !== name) return;
    const p = n.parent;
    if (p?.type === 'let_declaration' && field(p, 'pattern')?.id === n.id) return;
    if (p?.type === 'closure_parameters' || p?.type === 'parameter') return;
    out.push(n);
  });
  return out;
}

/** `let name = EXPR;` → the identifiers that read `name` later in the same block. */
function bindingUses(letDecl: Node): { name: string; nodes: Node[] } | undefined {
  const pattern = field(letDecl, 'pattern');
  const block = letDecl.parent;
  if (pattern?.type !== 'identifier' || !block) return undefined;
  const nodes: Node[] = [];
  for (let s = letDecl.nextNamedSibling; s; s = s.nextNamedSibling) nodes.push(...uses(s, pattern.text));
  return { name: pattern.text, nodes };
}

/** Every use of `p` in a `with` closure: the borrowed value, through `let` bindings too. */
function subjectsOfCellParam(out: SiteEdits, body: Node, param: string, rewriter: SiteRewriter): void {
  const handled = new Set<number>();
  for (const use of uses(body, param)) {
    if (handled.has(use.id)) continue;
    if (rewriter.wrapper === 'Cell') {
      rewriter.subject(out, { node: use, cellParam: true });
      continue;
    }
    const m = methodOn(use);
    if (!m || (m.name !== 'borrow' && m.name !== 'borrow_mut') || m.args.length > 0) {
      out.flag();
      continue;
    }
    const borrowed = m.call;
    const parent = borrowed.parent;
    if (parent?.type === 'let_declaration' && field(parent, 'value')?.id === borrowed.id) {
      const bound = bindingUses(parent);
      if (!bound) {
        out.flag();
        continue;
      }
      for (const n of bound.nodes) {
        handled.add(n.id);
        rewriter.subject(out, { node: n });
      }
      continue;
    }
    rewriter.subject(out, { node: borrowed });
  }
}

/** The single untyped identifier parameter of a closure, and its body. */
function closureParam(arg: Node | undefined): { name: string; body: Node } | undefined {
  if (arg?.type !== 'closure_expression') return undefined;
  const params = named(field(arg, 'parameters') ?? arg).filter((p) => !p.type.endsWith('comment'));
  const body = field(arg, 'body');
  if (params.length !== 1 || params[0].type !== 'identifier' || !body) return undefined;
  return { name: params[0].text, body };
}

/**
 * Walks every crate file for uses of static `name` and hands each to the rewriter; anything that
 * is not `X.with(|c| ..)`, `X.with_borrow(|v| ..)` or a LocalKey method is flagged for review.
 */
export function rewriteUses(syntax: SyntaxCache, files: string[], name: string, declStart: number, rewriter: SiteRewriter): SiteEdits[] {
  const results: SiteEdits[] = [];
  for (const file of files) {
    if (!syntax.text(file).includes(name)) continue;
    const out = new SiteEdits(file, syntax.text(file));
    walk(syntax.root(file), (n) => {
      if (n.type === 'use_declaration') return false;
      if (n.type !== 'identifier' || n.text !== name || n.startIndex === declStart) return;
      if (n.parent?.type === 'token_tree') return void out.flag();
      const expr = n.parent?.type === 'scoped_identifier' && field(n.parent, 'name')?.id === n.id ? n.parent : n;
      if (ancestor(n, 'use_declaration')) return;
      const m = methodOn(expr);
      if (!m) return void out.flag();
      const closure = closureParam(m.args[0]);
      if (m.name === 'with' && closure && m.args.length === 1) subjectsOfCellParam(out, closure.body, closure.name, rewriter);
      else if ((m.name === 'with_borrow' || m.name === 'with_borrow_mut') && closure && rewriter.wrapper === 'RefCell') {
        for (const use of uses(closure.body, closure.name)) rewriter.subject(out, { node: use });
      } else rewriter.localKey(out, expr, m.name, m.call, m.args);
    });
    results.push(out);
  }
  return results;
}
