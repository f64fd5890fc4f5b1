import type { Node } from './treeSitter';

/** Small helpers over tree-sitter nodes, so extractors read like the grammar. */

export function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

export function children(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}

export function field(node: Node | null | undefined, name: string): Node | undefined {
  return node?.childForFieldName(name) ?? undefined;
}

export function fields(node: Node, name: string): Node[] {
  return node.childrenForFieldName(name).filter((c): c is Node => c !== null);
}

/** Visits every node below `root` in document order; return false from `visit` to skip a subtree. */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const cursor = root.walk();
  let descend = true;
  for (;;) {
    if (descend && visit(cursor.currentNode) !== false && cursor.gotoFirstChild()) continue;
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    descend = false;
    if (!cursor.gotoParent()) break;
    if (cursor.currentNode.id === root.id) break;
  }
  cursor.delete();
}

export function descendants(root: Node, type: string | string[]): Node[] {
  const types = typeof type === 'string' ? [type] : type;
  const out: Node[] = [];
  walk(root, (n) => {
    if (types.includes(n.type)) out.push(n);
  });
  return out;
}

export function ancestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

export function ancestor(node: Node, type: string | string[]): Node | undefined {
  const types = typeof type === 'string' ? [type] : type;
  for (let p = node.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return undefined;
}

/** The last path segment of an identifier-like node: `a::b::C` gives `C`. */
export function lastSegment(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'type_identifier':
    case 'field_identifier':
    case 'primitive_type':
      return node.text;
    case 'scoped_identifier':
    case 'scoped_type_identifier':
      return field(node, 'name')?.text;
    case 'generic_type':
      return lastSegment(field(node, 'type'));
    case 'generic_function':
      return lastSegment(field(node, 'function'));
    default:
      return undefined;
  }
}

/** All segments of a path node, without generic arguments: `a::b::<T>::c` gives [a, b, c]. */
export function pathSegments(node: Node | undefined): string[] {
  if (!node) return [];
  switch (node.type) {
    case 'identifier':
    case 'type_identifier':
    case 'field_identifier':
    case 'primitive_type':
    case 'crate':
    case 'self':
    case 'super':
      return [node.text];
    case 'scoped_identifier':
    case 'scoped_type_identifier':
      return [...pathSegments(field(node, 'path')), ...pathSegments(field(node, 'name'))];
    case 'generic_type':
      return pathSegments(field(node, 'type'));
    case 'generic_function':
      return pathSegments(field(node, 'function'));
    default:
      return [];
  }
}

export function hasError(node: Node): boolean {
  return node.hasError;
}

/** The integer value of a literal such as `3`, `0x0A` or `7_u8`, or undefined. */
export function intLiteral(node: Node | undefined): number | undefined {
  if (!node || node.type !== 'integer_literal') return undefined;
  const clean = node.text.replace(/_/g, '').replace(/(u|i)(8|16|32|64|128|size)$/, '');
  const value = Number(clean);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The callee and argument nodes of a call expression, and the method name for `x.m(...)` calls. */
export function callParts(call: Node): { callee?: Node; method?: string; receiver?: Node; args: Node[] } {
  const callee = field(call, 'function');
  const argsNode = field(call, 'arguments');
  const args = argsNode ? named(argsNode).filter((n) => n.type !== 'line_comment' && n.type !== 'block_comment') : [];
  if (callee?.type === 'field_expression') {
    return { callee, method: field(callee, 'field')?.text, receiver: field(callee, 'value'), args };
  }
  return { callee, args };
}

/** Strips wrappers that do not change what an expression denotes: parentheses, `&`, `.clone()`. */
export function unwrapExpr(node: Node): Node {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' || n.type === 'reference_expression') {
      const inner = named(n).find((c) => !c.type.endsWith('comment'));
      if (!inner) return n;
      n = inner;
      continue;
    }
    return n;
  }
}

/** True when an identifier-like token below `root` is spelled `name`. */
export function mentions(root: Node, name: string): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if ((n.type === 'identifier' || n.type === 'type_identifier') && n.text === name) found = true;
  });
  return found;
}
