import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, type Hover, type InitializeResult } from 'vscode-languageserver-protocol/node';
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
      assert.equal(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(lib) }, position: { line: 11, character: 14 } }), null);
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
      const init = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
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
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: client.version(uri) }, contentChanges: [{ text: 'garbage' }] });
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
