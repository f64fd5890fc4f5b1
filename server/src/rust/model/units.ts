import type { Language, Node, TreeCursor } from '../syntax/treeSitter';
import { isTestAttributeItem, mayMarkTestCode } from './items';

/** A top-level item with the attributes and comments written above it: the unit facts are cached by. */
export interface Unit {
  /** Where the unit starts, its first attribute included, and where its item node starts. */
  start: number;
  nodeStart: number;
  end: number;
  /** The item's node type, and the type of the node it sits in (`source_file`, a mod's body, `ERROR`). */
  type: string;
  parentType: string;
  /** Inside `#[cfg(test)]` or marked `#[test]`: never part of a canister. */
  test: boolean;
  /** The node's place among the root's descendants, to find it again in a later tree. */
  index: number;
  /** Set while one tree is read; cached units carry none. */
  node?: Node;
}

/** A child of the root with its attributes: one unit, or all the units of an inline mod. */
export interface Block {
  start: number;
  end: number;
  /** The descendant indexes of the block's first node (an attribute or the item) and of the item. */
  firstIndex: number;
  itemIndex: number;
  units: Unit[];
}

/** Type names and named-ness by type id, read from the grammar once instead of asking per node. */
const kinds = new WeakMap<Language, { type: string[]; named: boolean[] }>();

function kindsOf(language: Language): { type: string[]; named: boolean[] } {
  let k = kinds.get(language);
  if (!k) {
    k = { type: [], named: [] };
    for (let id = 0; id < language.nodeTypeCount; id++) {
      k.type[id] = language.types[id] ?? 'ERROR';
      k.named[id] = language.nodeTypeIsNamed(id);
    }
    kinds.set(language, k);
  }
  return k;
}

// The error node's id lies outside the grammar's types.
const ERROR_ID = 65535;

/** Whether an attribute is `#[test]` or `#[cfg(test)]`, by its text: the same few recur in every file. */
const testVerdicts = new Map<string, boolean>();

function isTestAttribute(text: string, node: () => Node): boolean {
  if (!mayMarkTestCode(text)) return false;
  let verdict = testVerdicts.get(text);
  if (verdict === undefined) {
    verdict = isTestAttributeItem(node());
    if (testVerdicts.size > 1000) testVerdicts.clear();
    testVerdicts.set(text, verdict);
  }
  return verdict;
}

/** Moves a cursor on a mod item to the mod's body, or leaves it where it was when there is none. */
function enterBody(cursor: TreeCursor): boolean {
  if (!cursor.gotoFirstChild()) return false;
  do {
    if (cursor.currentFieldName === 'body') return true;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return false;
}

interface Reader {
  text: string;
  type: string[];
  named: boolean[];
}

/**
 * Reads the cursor's node and its later siblings as blocks: each item with the attributes above
 * it, inline mods entered. `atBlock` sees where each block starts before it is read, and stops the
 * walk by returning false. The cursor asks as little as it can: making a node object for every
 * item is most of the cost of a keystroke in a big file.
 */
function readSiblings(
  cursor: TreeCursor,
  r: Reader,
  parentType: string,
  inTest: boolean,
  atBlock: (start: number) => boolean,
  onBlock: (block: Block) => void,
): void {
  let pending: { start: number; index: number } | undefined;
  let testAttr = false;
  do {
    const id = cursor.nodeTypeId;
    if (id !== ERROR_ID && !r.named[id]) continue;
    const type = id === ERROR_ID ? 'ERROR' : r.type[id];
    if (type === 'line_comment' || type === 'block_comment') continue;
    const nodeStart = cursor.startIndex;
    if (pending === undefined && !atBlock(nodeStart)) return;
    const index = cursor.currentDescendantIndex;
    if (type === 'attribute_item' || type === 'inner_attribute_item') {
      pending ??= { start: nodeStart, index };
      // Inside test code every item is test code already.
      if (!inTest && !testAttr) testAttr = isTestAttribute(r.text.slice(nodeStart, cursor.endIndex), () => cursor.currentNode);
      continue;
    }
    const test = inTest || testAttr;
    const block: Block = { start: pending?.start ?? nodeStart, end: cursor.endIndex, firstIndex: pending?.index ?? index, itemIndex: index, units: [] };
    if (type === 'mod_item' && enterBody(cursor)) {
      if (cursor.gotoFirstChild()) {
        readSiblings(
          cursor,
          r,
          'declaration_list',
          test,
          () => true,
          (inner) => block.units.push(...inner.units),
        );
        cursor.gotoParent();
      }
      cursor.gotoParent();
    } else {
      block.units.push({ start: block.start, nodeStart, end: block.end, type, parentType, test, index, node: cursor.currentNode });
    }
    onBlock(block);
    pending = undefined;
    testAttr = false;
  } while (cursor.gotoNextSibling());
}

function reader(root: Node, text: string): Reader {
  return { text, ...kindsOf(root.tree.language) };
}

/** The blocks of a whole file, in order. */
export function blocksOf(root: Node, text: string): Block[] {
  const out: Block[] = [];
  const cursor = root.walk();
  try {
    if (cursor.gotoFirstChild())
      readSiblings(
        cursor,
        reader(root, text),
        root.type,
        false,
        () => true,
        (b) => out.push(b),
      );
  } finally {
    cursor.delete();
  }
  return out;
}

/**
 * The blocks of an edited file from its blocks before the edit: those before the edited span are
 * kept, those after it are moved, and only the tree between is read. `[lo, hi]` is the edited span
 * (and every range whose structure changed) in current offsets; `delta` how much the text grew.
 * Returns undefined when the tree does not line up with the old blocks, and all must be read.
 */
export function reblock(root: Node, text: string, old: Block[], lo: number, hi: number, delta: number): Block[] | undefined {
  let p = 0;
  while (p < old.length && old[p].end < lo) p++;
  let s = p;
  while (s < old.length && old[s].start + delta <= hi) s++;
  const stop = s < old.length ? old[s].start + delta : -1;
  const out = old.slice(0, p);
  let landed: number | undefined;
  const cursor = root.walk();
  try {
    // The kept blocks are where they were in the tree too, so the walk starts right after the last.
    let found: boolean;
    if (p > 0) {
      const last = old[p - 1];
      cursor.gotoDescendant(last.itemIndex);
      if (cursor.endIndex !== last.end) return undefined;
      found = cursor.gotoNextSibling();
    } else found = cursor.gotoFirstChild();
    const atBlock = (start: number) => {
      if (start !== stop) return true;
      landed = cursor.currentDescendantIndex;
      return false;
    };
    if (found) readSiblings(cursor, reader(root, text), root.type, false, atBlock, (b) => out.push(b));
  } finally {
    cursor.delete();
  }
  // The walk reads on to the end of the file unless a block starts exactly where the moved ones do.
  if (landed !== undefined) {
    const shift = landed - old[s].firstIndex;
    for (const b of old.slice(s)) out.push(moved(b, delta, shift));
  }
  return out;
}

function moved(b: Block, delta: number, shift: number): Block {
  b.start += delta;
  b.end += delta;
  b.firstIndex += shift;
  b.itemIndex += shift;
  for (const u of b.units) {
    u.start += delta;
    u.nodeStart += delta;
    u.end += delta;
    u.index += shift;
  }
  return b;
}

/** Drops the nodes of a tree that is about to go, so cached units hold none. */
export function forgetNodes(blocks: Block[]): void {
  for (const b of blocks) for (const u of b.units) u.node = undefined;
}

/** The node of a unit kept from an earlier tree, found again by its place, or undefined if it is not there. */
export function nodeOf(root: Node, unit: Unit): Node | undefined {
  if (unit.node) return unit.node;
  const cursor = root.walk();
  try {
    cursor.gotoDescendant(unit.index);
    if (cursor.startIndex !== unit.nodeStart || cursor.endIndex !== unit.end || cursor.nodeType !== unit.type) return undefined;
    unit.node = cursor.currentNode;
    return unit.node;
  } finally {
    cursor.delete();
  }
}
