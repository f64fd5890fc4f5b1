import { field } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import { freshName, isTight, mentionsAny, methodOn, rewriteValueCall, type SiteEdits } from './siteEdits';
import type { SiteRewriter, Subject } from './staticUses';

export interface CounterOptions {
  /** The static was a `Cell<u64>` (value methods) or a `RefCell<u64>` (deref through borrows). */
  wrapper: 'Cell' | 'RefCell';
  /** Before 0.7, `StableCell::set` returns a Result (research §3.1). */
  v07: boolean;
  staticName: string;
}

const TIGHT_PARENTS = ['field_expression', 'try_expression', 'index_expression'];

/**
 * Call sites of a `Cell<u64>` / `RefCell<u64>` → `StableCell<u64, Memory>` conversion: reads go
 * through `*c.borrow().get()`, writes through `c.borrow_mut().set(v)`, which returns the old value.
 */
export function counterRewriter(o: CounterOptions): SiteRewriter {
  const expect = o.v07 ? '' : `.expect("failed to set ${o.staticName}")`;
  const mustHoist = (value: Node, cell: string) => mentionsAny(value, [cell, o.staticName]);

  const cellParam = (out: SiteEdits, c: Node): void => {
    const m = methodOn(c);
    if (m?.name === 'get' && m.args.length === 0) {
      const parens = TIGHT_PARENTS.includes(m.call.parent?.type ?? '');
      out.insert(c.startIndex, parens ? '(*' : '*');
      out.insert(c.endIndex, '.borrow()');
      if (parens) out.insert(m.call.endIndex, ')');
      return;
    }
    if (m?.name === 'set' && m.args.length === 1) {
      const value = m.args[0];
      return rewriteValueCall(out, {
        site: m.call,
        value,
        pre: `${c.text}.borrow_mut().set(`,
        post: `)${expect}`,
        hoist: mustHoist(value, c.text),
        returnsValue: true,
      });
    }
    out.flag();
  };

  const borrowed = (out: SiteEdits, b: Node): void => {
    const receiver = b.type === 'call_expression' ? field(field(b, 'function'), 'value') : undefined;
    const deref = b.parent;
    if (!receiver || deref?.type !== 'unary_expression' || deref.firstChild?.type !== '*') return out.flag();
    const c = receiver.text;
    const assign = deref.parent;
    const right = assign && field(assign, 'right');
    const isLeft = assign && field(assign, 'left')?.id === deref.id;
    if (assign?.type === 'assignment_expression' && isLeft && right) {
      return rewriteValueCall(out, {
        site: assign,
        value: right,
        pre: `${c}.borrow_mut().set(`,
        post: `)${expect}`,
        hoist: mustHoist(right, c),
        returnsValue: true,
      });
    }
    if (assign?.type === 'compound_assignment_expr' && isLeft && right) {
      const token = field(assign, 'operator')?.text ?? '+=';
      const op = token.slice(0, -1);
      const [open, close] = isTight(right) ? ['', ''] : ['(', ')'];
      const letPre = `*${c}.borrow().get() ${op} ${open}`;
      return rewriteValueCall(out, {
        site: assign,
        value: right,
        pre: `${c}.borrow_mut().set(`,
        post: `)${expect}`,
        hoist: true,
        letPre,
        letPost: close,
        returnsValue: true,
      });
    }
    out.insert(b.endIndex, '.get()');
  };

  const subject = (out: SiteEdits, s: Subject): void => (s.cellParam ? cellParam(out, s.node) : borrowed(out, s.node));

  const localKey = (out: SiteEdits, key: Node, method: string, call: Node, args: Node[]): void => {
    if (method === 'get' && args.length === 0 && o.wrapper === 'Cell') return out.replace(key.endIndex, call.endIndex, '.with(|cell| *cell.borrow().get())');
    if (method === 'set' && args.length === 1) {
      const value = args[0];
      const cell = freshName(value, 'cell');
      const pre = `${key.text}.with(|${cell}| ${cell}.borrow_mut().set(`;
      return rewriteValueCall(out, { site: call, value, pre, post: `)${expect})`, hoist: mentionsAny(value, [o.staticName]), returnsValue: true });
    }
    out.flag();
  };

  return { wrapper: o.wrapper, subject, localKey };
}
