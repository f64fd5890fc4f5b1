import type { Node } from '../syntax/treeSitter';
import { field, named, pathSegments } from '../syntax/syntax';
import type { Loc } from '../../core/loc';
import type { UseDecl } from './facts';

/**
 * Flattens `use` declarations (nested lists, aliases, globs) into local name → path. `decls` are the
 * file's item-level use declarations (those in function bodies only scope that body).
 */
export function extractUses(decls: Node[], file: string): UseDecl[] {
  const out: UseDecl[] = [];
  const loc = (n: Node): Loc => ({ file, start: n.startIndex, end: n.endIndex });
  const visit = (node: Node, prefix: string[]): void => {
    switch (node.type) {
      case 'identifier':
      case 'scoped_identifier':
      case 'crate':
      case 'self':
      case 'super': {
        const segs = [...prefix, ...pathSegments(node)];
        const last = segs[segs.length - 1];
        if (last === 'self') {
          segs.pop();
          out.push({ local: segs[segs.length - 1] ?? '', path: segs.join('::'), isGlob: false, loc: loc(node) });
        } else {
          out.push({ local: last ?? '', path: segs.join('::'), isGlob: false, loc: loc(node) });
        }
        return;
      }
      case 'use_as_clause': {
        const segs = [...prefix, ...pathSegments(field(node, 'path'))];
        const alias = field(node, 'alias')?.text ?? segs[segs.length - 1];
        out.push({ local: alias ?? '', path: segs.join('::'), isGlob: false, loc: loc(node) });
        return;
      }
      case 'use_wildcard': {
        const inner = named(node)[0];
        const segs = inner ? [...prefix, ...pathSegments(inner)] : prefix;
        out.push({ local: '*', path: segs.join('::'), isGlob: true, loc: loc(node) });
        return;
      }
      case 'scoped_use_list': {
        const p = field(node, 'path');
        const list = field(node, 'list');
        const next = p ? [...prefix, ...pathSegments(p)] : prefix;
        if (list) for (const c of named(list)) visit(c, next);
        return;
      }
      case 'use_list':
        for (const c of named(node)) visit(c, prefix);
        return;
      default:
        return;
    }
  };
  for (const decl of decls) {
    const arg = field(decl, 'argument');
    if (arg) visit(arg, []);
  }
  for (const u of out) u.path = u.path.replace(/^(crate|self|super)::/, '').replace(/^::/, '');
  return out;
}
