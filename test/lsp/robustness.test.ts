import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { copyFixture, ensureBuilt, ROOT, SERVER, TestClient, uriOf } from './client';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'projects', 'lsp-canister');

describe('language server robustness', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stays up with one clear error when the parser cannot load', async () => {
    // A bundle copied away from its .wasm files cannot find the grammar.
    const lonely = fs.mkdtempSync(path.join(path.dirname(dir), 'stable-lens-nowasm-'));
    fs.copyFileSync(SERVER, path.join(lonely, 'server.js'));
    const client = await TestClient.start(dir, { serverPath: path.join(lonely, 'server.js'), cwd: lonely });
    try {
      const shown = await client.waitFor('an error message', (e) => (e.method === 'window/showMessage' ? e.params : undefined));
      assert.equal(shown.type, 1);
      assert.match(shown.message, /Rust parser could not be loaded/);
      const logged = client.events.filter((e) => e.method === 'window/logMessage' && /Rust parser could not be loaded/.test(e.params.message));
      assert.equal(logged.length, 1);
      const lib = path.join(dir, 'src', 'lib.rs');
      client.open(lib);
      assert.equal(
        await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(lib) }, position: { line: 11, character: 14 } }),
        null,
      );
      assert.deepEqual(await client.request('stableLens/memoryMap', {}), { version: 1, canisters: [] });
    } finally {
      await client.stop();
      fs.rmSync(lonely, { recursive: true, force: true });
    }
  });

  it('speaks over --node-ipc', async () => {
    const child = fork(SERVER, ['--node-ipc'], { silent: true });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const init = await connection.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        workspaceFolders: null,
      });
      assert.equal(init.serverInfo?.name, 'stable-lens');
      assert.equal(init.capabilities.hoverProvider, true);
      assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await exited;
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  it('survives broken Rust, stale versions and out-of-range edits', async () => {
    const client = await TestClient.start(dir);
    try {
      const broken = path.join(dir, 'src', 'broken.rs');
      fs.writeFileSync(broken, 'thread_local! { static X: RefCell<StableBTreeMap<u64, User, Memory>> = RefCell::new(StableBTreeMap::init(\n');
      const uri = client.open(broken);
      const opened = await client.currentDiagnostics(uri, () => true, 'the first publish of the opened file');
      assert.deepEqual(opened.diagnostics, []);
      client.change(uri, [{ range: { start: { line: 40, character: 3 }, end: { line: 90, character: 0 } }, text: 'fn 😀 ( {' }]);
      // The same version again must be ignored rather than applied twice.
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: client.version(uri) },
        contentChanges: [{ text: 'garbage' }],
      });
      const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 500, character: 500 } });
      assert.equal(hover, null);
      const map = await client.request<{ canisters: { ids: unknown[] }[] }>('stableLens/memoryMap', {});
      assert.equal(map.canisters[0].ids.length, 5);
      assert.ok(!client.events.some((e) => e.method === 'window/logMessage' && e.params.type === 1), 'nothing failed');
    } finally {
      await client.stop();
    }
  });
});

describe('language server hardening', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = copyFixture(FIXTURE);
    dirs.push(d);
    return d;
  };
  const idsOf = async (c: TestClient) =>
    (await c.request<{ canisters: { ids: { id: number }[] }[] }>('stableLens/memoryMap', {})).canisters
      .flatMap((k) => k.ids.map((i) => i.id))
      .sort((a, b) => a - b);
  before(() => ensureBuilt());
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('applies the newest didChange and ignores older ones that arrive after it', async () => {
    const dir = fresh();
    const client = await TestClient.start(dir);
    try {
      const lib = path.join(dir, 'src', 'lib.rs');
      const original = fs.readFileSync(lib, 'utf8');
      const uri = client.open(lib);
      await client.ready();
      const before = await idsOf(client);
      const extra = original.replace(
        'thread_local! {',
        'thread_local! {\n    static EXTRA: RefCell<StableCell<u64, Memory>> = RefCell::new(StableCell::init(memory::get(ic_stable_structures::memory_manager::MemoryId::new(42)), 0).expect("x"));',
      );
      const send = (version: number, text: string) =>
        void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
      send(3, extra);
      send(2, original);
      send(3, original);
      assert.deepEqual(
        await idsOf(client),
        [...before, 42].sort((a, b) => a - b),
        'version 3 stands',
      );
      // Versions may skip numbers: 7 follows 3.
      send(7, original);
      assert.deepEqual(await idsOf(client), before);
      const last = await client.currentDiagnostics(uri, () => true);
      assert.equal(last.version, 7);
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });

  it('answers requests and ignores notifications for documents it does not know', async () => {
    const dir = fresh();
    const client = await TestClient.start(dir);
    try {
      await client.ready();
      for (const uri of [
        uriOf(path.join(dir, 'src', 'nope.rs')),
        uriOf(path.join(dir, 'nope.mo')),
        'untitled:Untitled-1',
        'file:///%00/x.rs',
        'vscode-notebook-cell:/x.rs#1',
        'not a uri',
      ]) {
        void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 9 }, contentChanges: [{ text: 'fn x() {}' }] });
        void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
        const textDocument = { uri };
        const span = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
        assert.equal(await client.request('textDocument/hover', { textDocument, position: span.start }), null, uri);
        assert.deepEqual(await client.request('textDocument/codeAction', { textDocument, range: span, context: { diagnostics: [] } }), [], uri);
        assert.deepEqual(await client.request('textDocument/codeLens', { textDocument }), [], uri);
        assert.deepEqual(await client.request('textDocument/inlayHint', { textDocument, range: span }), [], uri);
        assert.ok(Array.isArray((await client.request<{ canisters: unknown[] }>('stableLens/memoryMap', { uri })).canisters), uri);
      }
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });

  it('answers a cancelled request at once, even while a slow Motoko check runs', async () => {
    const dir = fresh();
    const client = await TestClient.start(dir);
    try {
      await client.ready();
      const lib = client.open(path.join(dir, 'src', 'lib.rs'));
      const mo = path.join(dir, 'Slow.mo');
      // The compiler's parser takes seconds on deeply nested blocks: a long request to cancel.
      fs.writeFileSync(mo, `actor {\n  public func f() : async Nat { ${'{ '.repeat(300)}1${' }'.repeat(300)} };\n};\n`);
      const uri = client.open(mo);
      const cancelled = async (target: string, position: { line: number; character: number }) => {
        const source = new CancellationTokenSource();
        const answer = client.connection.sendRequest('textDocument/hover', { textDocument: { uri: target }, position }, source.token).then(
          (r) => r,
          (e: { code?: number }) => e.code,
        );
        source.cancel();
        return answer;
      };
      assert.ok([null, -32800].includes((await cancelled(lib, { line: 11, character: 14 })) as number | null));
      assert.ok([null, -32800].includes((await cancelled(uri, { line: 0, character: 1 })) as number | null));
      assert.ok(!client.events.some((e) => e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri), 'the answer came before the check ended');
      const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: lib }, position: { line: 11, character: 14 } });
      assert.ok(hover, 'Rust requests go on meanwhile');
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });
});
