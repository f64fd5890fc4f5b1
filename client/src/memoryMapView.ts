import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CanisterMapJson, MemoryMapJson, SourceRef, StructureJson } from '../../server/src/protocol/memoryMap';
import { MEMORY_MAP_METHOD } from '../../server/src/protocol/requests';
import { motokoChildren, motokoKey, motokoTreeItem, type MotokoNode } from './motokoMapNodes';

type Node = (
  | { kind: 'canister'; canister: CanisterMapJson }
  | { kind: 'id'; canister: CanisterMapJson; id: number; structures: StructureJson[] }
  | { kind: 'unresolved'; canister: CanisterMapJson }
  | { kind: 'structure'; canister: CanisterMapJson; structure: StructureJson }
  | { kind: 'type'; label: string; detail?: string; location: SourceRef; canister: CanisterMapJson }
  | { kind: 'message'; label: string }
  | { kind: 'motoko'; node: MotokoNode }
) & {
  /** A path from the root, unique in the tree: VS Code keys the tree on it across refreshes. */
  key: string;
  /** Where the node hangs, for revealing it; canisters have none. */
  parent?: Node;
};

function typesOf(s: StructureJson): string {
  if (s.kind === 'StableBTreeMap') return `<${s.key ?? '?'}, ${s.value ?? '?'}>`;
  return `<${s.key ?? s.element ?? '?'}>`;
}

/** The Stable Memory view: canisters → MemoryIds → structures → key and value types. */
export class MemoryMapView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private map: MemoryMapJson | undefined;
  private error: string | undefined;
  /** What the tree shows now, to skip refreshes that change nothing. */
  private shown: string | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly root: () => string | undefined,
  ) {}

  async refresh(): Promise<void> {
    const client = this.client();
    if (!client) return;
    try {
      this.map = await client.sendRequest<MemoryMapJson>(MEMORY_MAP_METHOD, {});
      this.error = undefined;
    } catch (e) {
      this.error = `Could not read the memory map: ${e instanceof Error ? e.message : String(e)}`;
    }
    // A refresh while VS Code still expands the previous tree can leave rows under the wrong
    // parent, and saves, edits and the status each ask for one: only redraw on a real change.
    const shown = JSON.stringify([this.map, this.error]);
    if (shown === this.shown) return;
    this.shown = shown;
    this.changed.fire(undefined);
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  /** The row of a Rust structure, found by its file and name: what a code lens above it reveals. */
  findStructure(file: string, name: string): Node | undefined {
    const root = this.root() ?? '';
    const same = (loc: SourceRef) => path.resolve(root, loc.file) === path.resolve(file);
    for (const canister of this.getChildren()) {
      if (canister.kind !== 'canister') continue;
      for (const group of this.getChildren(canister)) {
        const found = this.getChildren(group).find((n) => n.kind === 'structure' && n.structure.name === name && same(n.structure.location));
        if (found) return found;
      }
    }
    return undefined;
  }

  getChildren(node?: Node): Node[] {
    return node ? this.childrenOf(node).map((child) => ({ ...child, parent: node })) : this.roots();
  }

  private roots(): Node[] {
    const message = (label: string): Node[] => [{ kind: 'message', label, key: 'message' }];
    if (this.error) return message(this.error);
    if (!this.map) return message('Indexing…');
    if (this.map.canisters.length === 0) return message('No canister in this workspace uses stable structures.');
    return this.map.canisters.map((canister): Node => {
      if (canister.language === 'motoko') return { kind: 'motoko', node: { kind: 'canister', canister }, key: motokoKey({ kind: 'canister', canister }) };
      return { kind: 'canister', canister, key: `canister:${canister.root}` };
    });
  }

  private childrenOf(node: Node): Node[] {
    const { key } = node;
    switch (node.kind) {
      case 'canister': {
        const ids: Node[] = node.canister.ids.map((e) => ({
          kind: 'id',
          canister: node.canister,
          id: e.id,
          structures: e.structures,
          key: `${key}/id:${e.id}`,
        }));
        if (node.canister.unresolved.length) ids.push({ kind: 'unresolved', canister: node.canister, key: `${key}/unresolved` });
        return ids;
      }
      case 'id':
      case 'unresolved': {
        const structures = node.kind === 'id' ? node.structures : node.canister.unresolved;
        return structures.map((structure, i) => ({ kind: 'structure', canister: node.canister, structure, key: `${key}/${i}:${structure.name}` }));
      }
      case 'structure': {
        const s = node.structure;
        const out: Node[] = [];
        if (s.key) out.push({ kind: 'type', label: `key: ${s.key}`, detail: s.keyBound, location: s.location, canister: node.canister, key: `${key}/key` });
        const v = s.value ?? s.element;
        if (v)
          out.push({
            kind: 'type',
            label: `${s.value ? 'value' : 'element'}: ${v}`,
            detail: [s.valueBound, s.encoder].filter(Boolean).join(' · '),
            location: s.location,
            canister: node.canister,
            key: `${key}/value`,
          });
        return out;
      }
      case 'motoko':
        return motokoChildren(node.node).map((child) => ({ kind: 'motoko', node: child, key: motokoKey(child) }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = this.treeItem(node);
    // Without an id VS Code derives one from the label and the position, and after a refresh it
    // can draw one canister's children under another.
    item.id = node.key;
    return item;
  }

  private treeItem(node: Node): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const expanded = vscode.TreeItemCollapsibleState.Expanded;
    switch (node.kind) {
      case 'motoko':
        return motokoTreeItem(node.node, (loc) => this.reveal(loc));
      case 'canister': {
        const c = node.canister;
        const item = new vscode.TreeItem(c.name, expanded);
        const conflicts = c.conflicts.length ? ` · ${c.conflicts.length} conflict${c.conflicts.length > 1 ? 's' : ''}` : '';
        item.description = `${c.freeIds} free ids${conflicts}${c.library ? ` · ${c.library}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(c.conflicts.length ? 'warning' : 'database');
        item.contextValue = 'canister';
        return item;
      }
      case 'id': {
        const shared = node.structures.length > 1;
        const item = new vscode.TreeItem(`MemoryId ${node.id}`, expanded);
        item.description = node.structures.map((s) => s.name).join(', ') + (shared ? ' — shared!' : '');
        item.iconPath = new vscode.ThemeIcon(shared ? 'error' : 'symbol-number');
        return item;
      }
      case 'unresolved': {
        const item = new vscode.TreeItem('MemoryId not resolved', expanded);
        item.iconPath = new vscode.ThemeIcon('question');
        return item;
      }
      case 'structure': {
        const s = node.structure;
        const item = new vscode.TreeItem(`${s.name}${s.role ? ` (${s.role})` : ''}`, collapsed);
        item.description = `${s.kind}${typesOf(s)} · ${s.constructor}`;
        item.iconPath = new vscode.ThemeIcon('symbol-structure');
        item.command = this.reveal(s.location);
        item.tooltip = `${s.location.file}:${s.location.line}`;
        return item;
      }
      case 'type': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.iconPath = new vscode.ThemeIcon('symbol-type-parameter');
        item.command = this.reveal(node.location);
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    }
  }

  private reveal(loc: SourceRef): vscode.Command {
    const root = this.root() ?? '';
    const uri = vscode.Uri.file(path.isAbsolute(loc.file) ? loc.file : path.join(root, loc.file));
    const pos = new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, loc.column - 1));
    return { title: 'Reveal', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(pos, pos) }] };
  }
}
