import type { Node } from '../../parsing/treeSitter';
import { field, named } from '../../parsing/syntax';
import { isTestAttributeItem } from './items';

/** A top-level item with the attributes and comments written above it: the unit facts are cached by. */
export interface Unit {
  node: Node;
  start: number;
  end: number;
  /** Inside `#[cfg(test)]` or marked `#[test]`: never part of a canister. */
  test: boolean;
}

/**
 * The items of a file in order, each with its leading attributes. Inline modules are entered, so an
 * edit inside `mod tests { .. }` only touches the item it is in.
 */
export function unitsOf(root: Node): Unit[] {
  const out: Unit[] = [];
  const visit = (container: Node, inTest: boolean): void => {
    let pending: number | undefined;
    let testAttr = false;
    for (const child of named(container)) {
      if (child.type === 'attribute_item' || child.type === 'inner_attribute_item') {
        pending ??= child.startIndex;
        testAttr ||= isTestAttributeItem(child);
        continue;
      }
      if (child.type === 'line_comment' || child.type === 'block_comment') continue;
      const test = inTest || testAttr;
      const body = child.type === 'mod_item' ? field(child, 'body') : undefined;
      if (body) visit(body, test);
      else out.push({ node: child, start: pending ?? child.startIndex, end: child.endIndex, test });
      pending = undefined;
      testAttr = false;
    }
  };
  visit(root, false);
  return out;
}
