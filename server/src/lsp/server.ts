// The Stable Lens language server: wiring only. Every feature lives in its own file of lsp/ and is guarded
// there, so one that throws is logged once and the server keeps answering.
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeResult,
} from 'vscode-languageserver/node';
import * as path from 'node:path';
import { initRustParser } from '../rust/syntax/treeSitter';
import {
  FIX_ALL_KIND,
  MEMORY_MAP_METHOD,
  SETTINGS_SECTION,
  STATUS_NOTIFICATION,
  type MemoryMapParams,
  type MemoryMapResult,
  type StatusParams,
} from '../protocol/requests';
import { AnalysisScheduler } from './scheduler';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import { DiagnosticsPublisher } from './diagnostics';
import { DocumentSync, WATCHED_GLOBS } from './documentSync';
import { OpenDocuments } from './documents';
import { editContext } from './edits';
import { hoverAt } from './hover';
import { inlayHints } from './inlayHints';
import { Logger } from './log';
import { workspaceMemoryMap } from './memoryMap';
import { MotokoWorkspace } from './motoko/workspace';
import { isMotokoUri, MotokoRequests } from './motoko/requests';
import { recordLayouts, recordMotokoLayouts, RECORD_LAYOUT_COMMAND } from './recordLayoutCommand';
import { Requests } from './requests';
import { SettingsStore } from './settings';
import { Uris } from './uris';
import { warmUp } from './warmUp';
import { WorkspaceIndex } from './workspace';

declare const STABLE_LENS_VERSION: string | undefined;

// createConnection reads --stdio, --node-ipc or --socket from the command line.
const connection = createConnection(ProposedFeatures.all);
const log = new Logger(connection.console);
log.installProcessHandlers();

// Loading starts at once; a failure is reported after `initialized`, when the client can show it.
const parser = initRustParser().then(
  () => undefined,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);

let caps: ClientCapabilities = {};
const docs = new OpenDocuments();
const uris = new Uris(docs);
const index = new WorkspaceIndex(docs, log);
const publisher = new DiagnosticsPublisher((p) => void connection.sendDiagnostics(p), uris, docs);
const settings = new SettingsStore(
  (scopeUri) => (caps.workspace?.configuration ? connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }) : Promise.resolve(undefined)),
  log,
);
const scheduler = new AnalysisScheduler(index, settings, publisher, log);
// Motoko runs in compiler workers, one per project, started on first use (dist/motokoWorker.js).
const motoko = new MotokoWorkspace({
  docs,
  fs: index.fs,
  folders: () => index.workspaceFolders,
  settings: (scopeUri) => settings.get(scopeUri),
  publisher,
  log,
  workerScript: path.join(__dirname, 'motokoWorker.js'),
});
const motokoRequests = new MotokoRequests(motoko, uris, log);
const sync = new DocumentSync(docs, index, scheduler, publisher, uris, log, motoko);
const requests = new Requests(index, scheduler, uris, log);

function status(params: StatusParams): void {
  void connection.sendNotification(STATUS_NOTIFICATION, params);
}

connection.onInitialize((params): InitializeResult => {
  caps = params.capabilities;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  index.setFolders(folders.flatMap((u) => uris.toPath(u) ?? []));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: [RECORD_LAYOUT_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'stable-lens', version: typeof STABLE_LENS_VERSION === 'string' ? STABLE_LENS_VERSION : 'dev' },
  };
});

connection.onInitialized(async () => {
  if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
  }
  if (caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  }
  if (caps.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.flatMap((f) => uris.toPath(f.uri) ?? []));
      const added = e.added.flatMap((f) => uris.toPath(f.uri) ?? []);
      index.setFolders([...index.workspaceFolders.filter((f) => !removed.has(f)), ...added]);
      scheduler.layoutChanged();
    });
  }
  const failure = await parser;
  if (failure !== undefined) {
    log.once('parser', `Stable Lens: the Rust parser could not be loaded, so Rust analysis is off: ${failure}`, 'error');
    void connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Error,
      message: `Stable Lens: the Rust parser could not be loaded (${failure}); Rust analysis is off.`,
    });
    scheduler.giveUp();
    void log.guardAsync('indexing Motoko projects', () => motoko.indexAll(), undefined);
    status({ state: 'error', message: `The Rust parser could not be loaded: ${failure}` });
    return;
  }
  status({ state: 'indexing' });
  await log.guardAsync(
    'indexing the workspace',
    async () => {
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin('Stable Lens', 0, 'Indexing Rust crates', false);
      await scheduler.indexAll({ report: (done, total, name) => progress.report(Math.round((100 * done) / total), `${name} (${done + 1}/${total})`) });
      progress.done();
    },
    undefined,
  );
  // Before `ready`, so the first keystrokes run compiled code and nothing waits behind the warm-up.
  log.guard('warming up the keystroke path', () => warmUp(), undefined);
  status({ state: 'ready' });
  // Lenses and hints pulled while indexing got nothing: ask the client to pull them again.
  if (caps.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh();
  if (caps.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
  // Motoko projects are checked in their workers, after Rust: never in its way.
  void log.guardAsync('indexing Motoko projects', () => motoko.indexAll(), undefined);
});

connection.onDidOpenTextDocument((p) => log.guard('opening a document', () => sync.open(p), undefined));
connection.onDidChangeTextDocument((p) => log.guard('applying an edit', () => sync.change(p), undefined));
connection.onDidCloseTextDocument((p) => log.guard('closing a document', () => sync.close(p), undefined));
connection.onDidChangeWatchedFiles((p) => log.guard('a file watcher event', () => sync.watched(p), undefined));
connection.onDidSaveTextDocument((p) => log.guard('a save', () => motoko.saved(uris.toPath(p.textDocument.uri) ?? ''), undefined));

connection.onDidChangeConfiguration((p) =>
  log.guard(
    'a settings change',
    () => {
      settings.changed(p.settings);
      scheduler.everythingChanged();
      if (motoko.hasProjects) motoko.layoutChanged();
      // Lenses and hints are pulled by the client: ask it to pull again under the new settings.
      if (caps.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh();
      if (caps.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
    },
    undefined,
  ),
);

connection.onHover((p, token) =>
  isMotokoUri(p.textDocument.uri)
    ? motokoRequests.hover(p, token)
    : requests.forFile(
        'hover',
        p.textDocument.uri,
        token,
        null,
        (c) => hoverAt(c.result, c.file, c.source.lines.offset(p.position), (f) => uris.toUri(f)) ?? null,
      ),
);

connection.onCodeLens((p, token) => requests.forFile('code lens', p.textDocument.uri, token, [], (c) => codeLenses(c.result, c.file, c.uri)));

connection.languages.inlayHint.on((p, token) =>
  requests.forFile('inlay hints', p.textDocument.uri, token, [], (c) => (c.settings.inlayHints.enable ? inlayHints(c.result, c.file, p.range) : [])),
);

connection.onCodeAction((p, token) => {
  const edits = () => editContext(docs, index, uris, caps.workspace?.workspaceEdit?.documentChanges === true);
  if (isMotokoUri(p.textDocument.uri)) return motokoRequests.codeActions(p, token, edits());
  return requests.forFile('code actions', p.textDocument.uri, token, [], (c) => codeActions(c.result, c.file, p.context, edits()));
});

// Writing lockfiles is the one place the server writes files, and only when the user runs the command.
connection.onExecuteCommand((p) =>
  log.guardAsync(
    'recording the stable layout',
    async () => {
      if (p.command !== RECORD_LAYOUT_COMMAND) return null;
      await scheduler.flush();
      const only = typeof p.arguments?.[0] === 'string' ? uris.toPath(p.arguments[0]) : undefined;
      const writer = { readText: (f: string) => index.fs.readText(f, () => undefined), warn: (m: string) => log.info(m) };
      const written = recordLayouts(index.crates(), writer, only);
      index.invalidateBaselines();
      scheduler.everythingChanged();
      // Motoko canisters record their compiled signatures, which may take the compiler a few seconds.
      const recorded = await recordMotokoLayouts(motoko, writer, only);
      if (recorded.length) motoko.baselinesChanged();
      written.push(...recorded);
      void connection.window.showInformationMessage(
        written.length ? `Stable Lens recorded the stable layout in ${written.length} lockfile(s).` : 'Stable Lens: every lockfile is up to date.',
      );
      return written.map((f) => uris.toUri(f));
    },
    null,
  ),
);

connection.onRequest(MEMORY_MAP_METHOD, (p: MemoryMapParams | null | undefined, token) => {
  const target = p?.uri ? uris.toPath(p.uri) : undefined;
  const empty: MemoryMapResult = { version: 1, canisters: [] };
  const rust = requests.forWorkspace('the memory map', token, empty, () => workspaceMemoryMap(index.crates(), index.workspaceFolders, target));
  const mo = motokoRequests.memoryMap(index.workspaceFolders[0] ?? process.cwd(), target);
  return Promise.all([rust, mo]).then(([map, canisters]) => ({ ...map, canisters: [...map.canisters, ...canisters] }));
});

connection.listen();
