import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SHOW_DOCS_COMMAND, SHOW_MEMORY_MAP_COMMAND, STATUS_NOTIFICATION, type StatusParams } from '../../server/src/protocol/requests';
import { MemoryMapView } from './memoryMapView';
import { StatusItem } from './status';

let client: LanguageClient | undefined;

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The file scheme only: Stable Lens reads crates from disk, so untitled buffers have no crate.
    documentSelector: [
      { scheme: 'file', language: 'rust' },
      { scheme: 'file', language: 'motoko' },
      { scheme: 'file', pattern: '**/*.mo' },
    ],
    outputChannel: output,
    synchronize: { configurationSection: 'stableLens' },
  };
  return new LanguageClient('stableLens', 'Stable Lens', serverOptions, clientOptions);
}

/** Opens a rule's page: the copy shipped in the extension when there is one, else the web page. */
async function showDocs(context: vscode.ExtensionContext, url: string): Promise<void> {
  const id = /([a-z0-9-]+)\.md$/.exec(url)?.[1];
  const local = id ? context.asAbsolutePath(`docs/rules/${id}.md`) : undefined;
  if (local && fs.existsSync(local)) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(local));
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // A log channel: vscode-languageclient 11 needs its onDidChangeLogLevel.
  const output = vscode.window.createOutputChannel('Stable Lens', { log: true });
  const status = new StatusItem('stableLens.showOutput');
  const root = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const view = new MemoryMapView(() => client, root);
  const tree = vscode.window.createTreeView('stableLens.memoryMap', { treeDataProvider: view, showCollapseAll: true });
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void view.refresh(), 400);
  };

  const start = async () => {
    client = createClient(context, output);
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) status.set('indexing');
      else if (e.newState === State.Stopped) status.set('error', 'The Stable Lens server stopped: see the output');
    });
    client.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => {
      status.set(p.state, p.message);
      if (p.state === 'ready') refreshSoon();
    });
    try {
      status.set('indexing');
      await client.start();
      // Not 'ready' yet: the server is still indexing, and says so with its status notification.
      refreshSoon();
    } catch (e) {
      status.set('error', `Stable Lens could not start: ${e instanceof Error ? e.message : String(e)}`);
      output.error(String(e));
    }
  };

  context.subscriptions.push(
    output,
    status,
    tree,
    // A code lens passes the structure it sits above, whose row is then selected.
    vscode.commands.registerCommand(SHOW_MEMORY_MAP_COMMAND, async (target?: { uri?: string; name?: string }) => {
      await vscode.commands.executeCommand('stableLens.memoryMap.focus');
      await view.refresh();
      const row = target?.uri && target.name ? view.findStructure(vscode.Uri.parse(target.uri).fsPath, target.name) : undefined;
      if (row) await tree.reveal(row, { select: true, focus: true, expand: true });
    }),
    vscode.commands.registerCommand('stableLens.restartServer', async () => {
      await client?.stop();
      await start();
    }),
    vscode.commands.registerCommand('stableLens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('stableLens.refreshMemoryMap', () => view.refresh()),
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, (url: string) => showDocs(context, url)),
    vscode.workspace.onDidSaveTextDocument(refreshSoon),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId === 'rust' || e.document.fileName.endsWith('.mo')) refreshSoon();
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
