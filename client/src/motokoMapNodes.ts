import * as vscode from 'vscode';
import type { MotokoCanisterMapJson, MotokoVariableJson, SourceRef } from '../../server/src/protocol/memoryMap';

/** The Motoko part of the Stable Memory view: canister → stable and transient groups → variables. */
export type MotokoNode =
  | { kind: 'canister'; canister: MotokoCanisterMapJson }
  | { kind: 'group'; canister: MotokoCanisterMapJson; stable: boolean }
  | { kind: 'variable'; variable: MotokoVariableJson; stable: boolean };

export function motokoKey(node: MotokoNode): string {
  if (node.kind === 'canister') return `motoko:${node.canister.main}`;
  if (node.kind === 'group') return `motoko:${node.canister.main}/${node.stable ? 'stable' : 'transient'}`;
  return `motoko:${node.variable.location.file}:${node.variable.location.line}:${node.variable.name}`;
}

export function motokoChildren(node: MotokoNode): MotokoNode[] {
  if (node.kind === 'canister') {
    const groups: MotokoNode[] = [{ kind: 'group', canister: node.canister, stable: true }];
    if (node.canister.transientVariables.length) groups.push({ kind: 'group', canister: node.canister, stable: false });
    return groups;
  }
  if (node.kind === 'group')
    return (node.stable ? node.canister.stableVariables : node.canister.transientVariables).map((variable) => ({
      kind: 'variable',
      variable,
      stable: node.stable,
    }));
  return [];
}

export function motokoTreeItem(node: MotokoNode, reveal: (loc: SourceRef) => vscode.Command): vscode.TreeItem {
  const expanded = vscode.TreeItemCollapsibleState.Expanded;
  if (node.kind === 'canister') {
    const c = node.canister;
    const item = new vscode.TreeItem(c.name, expanded);
    item.description = `Motoko · ${c.stableVariables.length} stable variable${c.stableVariables.length === 1 ? '' : 's'}${c.persistent ? '' : ' · not persistent'}`;
    item.tooltip = c.signatureError ? `Types as written: the signature did not compile (${c.signatureError})` : c.main;
    item.iconPath = new vscode.ThemeIcon('database');
    item.contextValue = 'canister';
    return item;
  }
  if (node.kind === 'group') {
    const item = new vscode.TreeItem(node.stable ? 'Stable variables' : 'Transient (emptied on upgrade)', expanded);
    item.iconPath = new vscode.ThemeIcon(node.stable ? 'lock' : 'warning');
    return item;
  }
  const v = node.variable;
  const item = new vscode.TreeItem(`${v.kind} ${v.name}`, vscode.TreeItemCollapsibleState.None);
  item.description = v.type ?? '';
  item.iconPath = new vscode.ThemeIcon(node.stable ? 'symbol-field' : 'symbol-variable');
  item.command = reveal(v.location);
  item.tooltip = `${v.location.file}:${v.location.line}`;
  return item;
}
