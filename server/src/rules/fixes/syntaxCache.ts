import { indentAt as lineIndent } from '../../core/text';
import { parseRust, type Node, type Tree } from '../../rust/syntax/treeSitter';
import { field, named, walk } from '../../rust/syntax/syntax';
import { parseStateMacros, type MacroBody } from '../../rust/model/statics';

/**
 * Syntax trees of a crate's files, parsed on first use. The model is plain data, so fixes that
 * need nodes (call sites, item visibility) parse again; only files of a crate with a finding pay.
 */
export class SyntaxCache {
  private readonly trees = new Map<string, Tree>();
  private readonly macros = new Map<string, MacroBody[]>();

  constructor(readonly text: (file: string) => string) {}

  root(file: string): Node {
    let tree = this.trees.get(file);
    if (!tree) {
      tree = parseRust(this.text(file));
      this.trees.set(file, tree);
    }
    return tree.rootNode;
  }

  /** The bodies of `thread_local!` and `lazy_static!`, parsed as items in file coordinates. */
  stateMacros(file: string): MacroBody[] {
    let bodies = this.macros.get(file);
    if (!bodies) {
      bodies = parseStateMacros(this.text(file), this.root(file));
      this.macros.set(file, bodies);
    }
    return bodies;
  }

  /** The named node that starts at `start` and has the given type, in the file or its state macros. */
  nodeAt(file: string, start: number, type: string): Node | undefined {
    const roots = [this.root(file), ...this.stateMacros(file).map((m) => m.tree.rootNode)];
    for (const root of roots) {
      let found: Node | undefined;
      walk(root, (n) => {
        if (found || n.endIndex <= start || n.startIndex > start) return false;
        if (n.startIndex === start && n.type === type) found = n;
      });
      if (found) return found;
    }
    return undefined;
  }

  /** True when the item whose name starts at `nameStart` carries any `pub` visibility. */
  isPublic(file: string, nameStart: number): boolean {
    for (const type of ['identifier', 'type_identifier']) {
      const name = this.nodeAt(file, nameStart, type);
      const item = name?.parent;
      if (item) return named(item).some((c) => c.type === 'visibility_modifier');
    }
    return false;
  }

  /** The number of parameters of the function whose name starts at `nameStart`. */
  paramCount(file: string, nameStart: number): number | undefined {
    const fn = this.nodeAt(file, nameStart, 'identifier')?.parent;
    const params = fn?.type === 'function_item' ? field(fn, 'parameters') : undefined;
    return params ? named(params).filter((p) => p.type === 'parameter').length : undefined;
  }

  dispose(): void {
    for (const bodies of this.macros.values()) for (const b of bodies) b.tree.delete();
    for (const tree of this.trees.values()) tree.delete();
    this.macros.clear();
    this.trees.clear();
  }
}

/** The indentation of the line that holds `offset`. */
export function indentAt(text: string, offset: number): string {
  return lineIndent(text, offset).indent;
}

/** The offset of the start of the line that holds `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
