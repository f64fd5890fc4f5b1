/**
 * A small LSP client for protocol tests: spawns the bundled server, answers its requests, records
 * every notification, and waits on notifications (never on sleeps) with a timeout that fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  WorkDoneProgress,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

function newestSource(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((newest, e) => {
    const full = path.join(dir, e.name);
    return Math.max(newest, e.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }, 0);
}

function isStale(): boolean {
  return !fs.existsSync(SERVER) || !fs.existsSync(CLI) || fs.statSync(SERVER).mtimeMs < newestSource(path.join(ROOT, 'server', 'src'));
}

/**
 * Builds dist/ when the bundle is missing or older than any server source. Test files run in
 * parallel processes, so a lock folder keeps two builds from writing the bundle at once.
 */
export function ensureBuilt(): void {
  if (!isStale()) return;
  const lock = path.join(ROOT, 'dist', '.build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; ; tries++) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (tries > 600) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  try {
    if (!isStale()) return;
    const res = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`node esbuild.mjs failed:\n${res.stdout}${res.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Copies a fixture folder into a fresh temporary folder (resolved, so paths match the server's). */
export function copyFixture(src: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-lsp-')));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

export const uriOf = (file: string) => pathToFileURL(file).href;

export interface Event {
  method: string;
  params: any;
}

export interface StartOptions {
  serverPath?: string;
  cwd?: string;
  capabilities?: ClientCapabilities;
  /** The server's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
    inlayHint: { refreshSupport: true },
    codeLens: { refreshSupport: true },
  },
  window: { workDoneProgress: true },
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
};

export class TestClient {
  readonly events: Event[] = [];
  /** What `workspace/configuration` answers for the `stableLens` section. */
  settings: Record<string, unknown> = {};
  private readonly listeners = new Set<() => void>();
  private readonly texts = new Map<string, { text: string; version: number }>();

  private constructor(
    readonly connection: ProtocolConnection,
    readonly proc: ChildProcess,
  ) {}

  static async start(folder: string | undefined, options: StartOptions = {}): Promise<TestClient> {
    const proc = spawn(process.execPath, [options.serverPath ?? SERVER, '--stdio'], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(connection, proc);
    proc.stderr!.on('data', (d) => client.record('stderr', String(d)));
    // The typed connection hides the catch-all handlers the underlying JSON-RPC connection has.
    const any = connection as unknown as {
      onNotification(handler: (method: string, params: unknown) => void): void;
      onRequest(handler: (method: string, params: any) => unknown): void;
    };
    any.onNotification((method, params) => client.record(method, params));
    any.onRequest((method, params) => {
      client.record(method, params);
      if (method === 'workspace/configuration') return params.items.map(() => client.settings);
      // `$/progress` goes to per-token handlers, never to the catch-all one.
      if (method === 'window/workDoneProgress/create')
        connection.onProgress(WorkDoneProgress.type, params.token, (value) => client.record('$/progress', { token: params.token, value }));
      return null;
    });
    connection.listen();
    const workspaceFolders = folder ? [{ uri: uriOf(folder), name: path.basename(folder) }] : null;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder ? uriOf(folder) : null,
      capabilities: options.capabilities ?? CAPABILITIES,
      workspaceFolders,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private record(method: string, params: unknown): void {
    this.events.push({ method, params });
    for (const l of [...this.listeners]) l();
  }

  /** Resolves with the first event from index `from` on that `pick` accepts; fails after `timeoutMs`. */
  waitFor<T>(what: string, pick: (e: Event) => T | undefined, from = 0, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      let next = from;
      const check = () => {
        for (; next < this.events.length; next++) {
          const found = pick(this.events[next]);
          if (found !== undefined) {
            done();
            resolve(found);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.events
          .filter((e) => e.method === 'textDocument/publishDiagnostics')
          .map((e) => `${path.basename(e.params.uri)}: ${e.params.diagnostics.map((d: Diagnostic) => d.code).join(', ')}`);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; diagnostics seen:\n  ${seen.join('\n  ')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private publishes(uri: string, pred: (d: Diagnostic[]) => boolean) {
    return (e: Event) =>
      e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri && pred(e.params.diagnostics) ? (e.params as PublishDiagnosticsParams) : undefined;
  }

  /** The next publishDiagnostics for `uri` that satisfies `pred`, counting only those sent from now on. */
  nextDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, what = `diagnostics of ${path.basename(uri)}`): Promise<PublishDiagnosticsParams> {
    return this.waitFor(what, this.publishes(uri, pred), this.events.length);
  }

  /** Like nextDiagnostics, but the latest publish already received counts too. */
  currentDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, what = `diagnostics of ${path.basename(uri)}`): Promise<PublishDiagnosticsParams> {
    let last = -1;
    this.events.forEach((e, i) => {
      if (e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri) last = i;
    });
    return this.waitFor(what, this.publishes(uri, pred), Math.max(last, 0));
  }

  latestDiagnostics(uri: string): Diagnostic[] {
    const all = this.events.filter((e) => e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri);
    return all.length ? all[all.length - 1].params.diagnostics : [];
  }

  /** Resolves once the server reports the ready status (at once when it already has). */
  ready(): Promise<true> {
    return this.waitFor('the ready status', (e) => (e.method === 'stableLens/status' && e.params.state === 'ready' ? true : undefined));
  }

  /** The messages the server logged as errors: a robust server logs none for hostile input. */
  failures(): string[] {
    return this.events.filter((e) => e.method === 'window/logMessage' && e.params.type === 1).map((e) => String(e.params.message));
  }

  /** Opens a file with its disk contents, or with `text` for a buffer that was never saved. */
  open(file: string, text = fs.readFileSync(file, 'utf8')): string {
    const uri = uriOf(file);
    this.texts.set(uri, { text, version: 1 });
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: file.endsWith('.mo') ? 'motoko' : 'rust', version: 1, text },
    });
    return uri;
  }

  close(uri: string): void {
    this.texts.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.texts.get(uri)!.text;
  }

  version(uri: string): number {
    return this.texts.get(uri)!.version;
  }

  /** Sends incremental changes, applied in order like an editor does, and keeps the local copy in step. */
  change(uri: string, changes: { range: Range; text: string }[]): void {
    const doc = this.texts.get(uri)!;
    for (const c of changes) doc.text = doc.text.slice(0, offsetAt(doc.text, c.range.start)) + c.text + doc.text.slice(offsetAt(doc.text, c.range.end));
    doc.version++;
    const contentChanges: TextDocumentContentChangeEvent[] = changes;
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges });
  }

  /** Replaces the first `find` after `anchor` with `replace`, as one range edit. */
  replace(uri: string, anchor: string, find: string, replace: string): void {
    const text = this.text(uri);
    const start = text.indexOf(find, text.indexOf(anchor));
    if (text.indexOf(anchor) < 0 || start < 0) throw new Error(`"${find}" after "${anchor}" not found`);
    this.change(uri, [{ range: { start: positionAt(text, start), end: positionAt(text, start + find.length) }, text: replace }]);
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    if (this.proc.exitCode === null) {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
      await exited;
    }
    this.connection.dispose();
  }
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let i = 0; i < pos.line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset + pos.character;
}

/** The range of the first `find` after `anchor` in `text`. */
export function rangeOf(text: string, anchor: string, find = anchor): Range {
  const start = text.indexOf(find, text.indexOf(anchor));
  if (text.indexOf(anchor) < 0 || start < 0) throw new Error(`"${find}" after "${anchor}" not found`);
  return { start: positionAt(text, start), end: positionAt(text, start + find.length) };
}
