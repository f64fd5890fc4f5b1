import { field, walk } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import type { TextEdit } from '../../core/findings';

/** Edits to one file's call sites, and how many sites were left for the developer. */
export class SiteEdits {
  readonly edits: TextEdit[] = [];
  review = 0;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** The indentation of the line where `node` starts. */
  indentOf(node: Node): string {
    const start = this.text.lastIndexOf('\n', node.startIndex - 1) + 1;
    let end = start;
    while (this.text[end] === ' ' || this.text[end] === '\t') end++;
    return this.text.slice(start, end);
  }

  insert(at: number, newText: string): void {
    this.edits.push({ file: this.file, start: at, end: at, newText });
  }

  replace(start: number, end: number, newText: string): void {
    this.edits.push({ file: this.file, start, end, newText });
  }

  flag(): void {
    this.review++;
  }
}

/** The method a node is the receiver of: `node.name(args)`, with the call node. */
export function methodOn(node: Node): { name: string; call: Node; args: Node[] } | undefined {
  const fe = node.parent;
  if (fe?.type !== 'field_expression' || field(fe, 'value')?.id !== node.id) return undefined;
  const call = fe.parent;
  if (call?.type !== 'call_expression' || field(call, 'function')?.id !== fe.id) return undefined;
  const argsNode = field(call, 'arguments');
  const args = argsNode ? argsNode.namedChildren.filter((a): a is Node => a !== null && !a.type.endsWith('comment')) : [];
  return { name: field(fe, 'field')?.text ?? '', call, args };
}

/** True when an expression may be prefixed by `&` or `*` or followed by `.m()` without parentheses. */
export function isTight(n: Node): boolean {
  return [
    'identifier',
    'field_expression',
    'call_expression',
    'integer_literal',
    'string_literal',
    'index_expression',
    'parenthesized_expression',
    'scoped_identifier',
    'macro_invocation',
    'self',
    'tuple_expression',
    'array_expression',
    'struct_expression',
    'boolean_literal',
    'float_literal',
    'reference_expression',
    'unary_expression',
    'try_expression',
  ].includes(n.type);
}

/** A local name for a hoisted value that nothing in `scope` already uses. */
export function freshName(scope: Node, base: string): string {
  const taken = new Set<string>();
  walk(scope, (n) => {
    if (n.type === 'identifier') taken.add(n.text);
  });
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!taken.has(name)) return name;
  }
}

function enclosingBody(n: Node): Node {
  let scope = n;
  for (let p = n.parent; p; p = p.parent) {
    scope = p;
    if (p.type === 'function_item') break;
  }
  return scope;
}

export interface ValueCall {
  /** The expression replaced, whose value was `()` before (`c.set(v)`, `*c.borrow_mut() = v`, `log.push(x)`). */
  site: Node;
  /** The new value expression inside it, kept in place so edits inside it still apply. */
  value: Node;
  /** The new call around the value: `pre + value + post`. */
  pre: string;
  post: string;
  /** The value must be computed first (it reads the cell the call borrows mutably): `let v = value;`. */
  hoist: boolean;
  /** Text around the value in the hoisted `let` (`*c.borrow().get() + (` for `+=`). */
  letPre?: string;
  letPost?: string;
  /** The new call returns a value where the old one returned `()`. */
  returnsValue: boolean;
}

/**
 * Rewrites a call whose value was `()` into one that returns something, keeping the surrounding
 * code's types: a statement stays a statement, a block tail and a closure body get a `;`. Any
 * other position is left for review. A hoisted value gets its own line, as rustfmt would put it.
 */
export function rewriteValueCall(out: SiteEdits, c: ValueCall): void {
  const parent = c.site.parent;
  const ind = out.indentOf(c.site);
  let open = '';
  let close = '';
  let sep = ' ';
  if (c.returnsValue || c.hoist) {
    const isClosureBody = parent?.type === 'closure_expression' && field(parent, 'body')?.id === c.site.id;
    const isBlockTail = parent?.type === 'block' && parent.lastNamedChild?.id === c.site.id && !c.site.nextSibling?.text.startsWith(';');
    const closureCall = isClosureBody ? parent?.parent?.parent : undefined;
    const droppedClosure = closureCall?.type === 'call_expression' && closureCall.parent?.type === 'expression_statement';
    if (parent?.type === 'expression_statement') {
      sep = `\n${ind}`;
    } else if (isBlockTail) {
      close = ';';
      sep = `\n${ind}`;
    } else if (isClosureBody && (c.hoist || !droppedClosure)) {
      // A closure body on one line becomes a block of its own lines when it gains a statement.
      open = c.hoist ? `{\n${ind}    ` : '{ ';
      close = c.hoist ? `;\n${ind}}` : '; }';
      sep = `\n${ind}    `;
    } else if (!isClosureBody) {
      out.flag();
      return;
    }
  }
  if (c.hoist) {
    const name = freshName(enclosingBody(c.site), 'value');
    out.replace(c.site.startIndex, c.value.startIndex, `${open}let ${name} = ${c.letPre ?? ''}`);
    out.replace(c.value.endIndex, c.site.endIndex, `${c.letPost ?? ''};${sep}${c.pre}${name}${c.post}${close}`);
  } else {
    out.replace(c.site.startIndex, c.value.startIndex, `${open}${c.pre}`);
    out.replace(c.value.endIndex, c.site.endIndex, `${c.post}${close}`);
  }
}

/** True when an identifier spelled like one of `names` occurs inside `node`, macro arguments included. */
export function mentionsAny(node: Node, names: string[]): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'identifier' && names.includes(n.text)) found = true;
  });
  return found;
}
