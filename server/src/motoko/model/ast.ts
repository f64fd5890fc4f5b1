import type { Loc } from '../../core/loc';
import { LineIndex } from '../../core/text';

/**
 * A node of `parseMotoko(src, true)`: `start`/`end` are `[line, column]` with 1-based lines and
 * UTF-8 byte columns. Leaves are strings; `args` mixes nodes, strings, nulls and lists.
 */
export interface MoNode {
  name: string;
  args?: MoArg[];
  start?: [number, number] | null;
  end?: [number, number] | null;
}

export type MoArg = MoNode | string | null | MoArg[];

export function isNode(a: unknown): a is MoNode {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && typeof (a as MoNode).name === 'string';
}

/** The node children of a node, in source order, with nested lists flattened. */
export function children(node: MoNode): MoNode[] {
  const out: MoNode[] = [];
  const visit = (a: MoArg) => {
    if (Array.isArray(a)) a.forEach(visit);
    else if (isNode(a)) out.push(a);
  };
  (node.args ?? []).forEach(visit);
  return out;
}

/** The string arguments of a node (sorts, visibilities, literal text). */
export function strings(node: MoNode): string[] {
  return (node.args ?? []).filter((a): a is string => typeof a === 'string');
}

/** Depth-first walk; `visit` returning false skips the node's children. */
export function walk(node: MoNode, visit: (n: MoNode) => boolean | void): void {
  const stack: MoNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

export function child(node: MoNode | undefined, name: string): MoNode | undefined {
  return node ? children(node).find((c) => c.name === name) : undefined;
}

/** The identifier text of an `ID` node (its single string argument). */
export function idText(node: MoNode | undefined): string | undefined {
  return node?.name === 'ID' ? strings(node)[0] : undefined;
}

/** True when a node carries a real source range (error-recovery nodes and helpers have none). */
export function hasRange(node: MoNode): node is MoNode & { start: [number, number]; end: [number, number] } {
  return Array.isArray(node.start) && Array.isArray(node.end) && node.start[0] > 0;
}

/**
 * A Motoko source text with conversions from compiler positions (UTF-8 byte columns) to the
 * UTF-16 offsets every other part of Stable Lens uses.
 */
export class MotokoText {
  readonly lines: LineIndex;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /** The offset of a 0-based line and a UTF-8 byte column, clamped to the line. */
  offset(line: number, byteColumn: number): number {
    if (line >= this.lines.lineCount) return this.text.length;
    const start = this.lines.lineStart(Math.max(0, line));
    const end = start + this.lines.lineText(line).length;
    let i = start;
    for (let bytes = 0; i < end && bytes < byteColumn; i++) {
      const c = this.text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return i;
  }

  /** The span of an AST node, or undefined for nodes without a range. */
  loc(node: MoNode | undefined): Loc | undefined {
    if (!node || !hasRange(node)) return undefined;
    return { file: this.file, start: this.offset(node.start[0] - 1, node.start[1]), end: this.offset(node.end[0] - 1, node.end[1]) };
  }

  slice(loc: Loc): string {
    return this.text.slice(loc.start, loc.end);
  }
}
