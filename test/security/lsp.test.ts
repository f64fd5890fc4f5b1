import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { ensureBuilt, TestClient, uriOf } from '../lsp/client';
import { makeWorkspace, MARKER, readSpyLog, snapshot, spyEnv } from './workspace';

/**
 * A language server session over a workspace that would run code if anything executed it: the
 * spy preloaded into the server and its Motoko worker must record no process, no connection and
 * no write, and edits that are never saved must leave every file's bytes and times as they were.
 */
describe('security: the language server', () => {
  let dir: string;
  let log: string;
  before(() => {
    ensureBuilt();
    dir = makeWorkspace();
    log = `${dir}.spy.log`;
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(log, { force: true });
  });

  it('executes nothing, connects nowhere and writes nothing while analysing, editing and answering', async () => {
    const before = snapshot(dir);
    const client = await TestClient.start(dir, { env: spyEnv(log) });
    const lib = path.join(dir, 'src', 'lib.rs');
    const main = path.join(dir, 'mo', 'main.mo');
    try {
      const rust = client.open(lib);
      const mo = client.open(main);
      await client.currentDiagnostics(rust, (d) => d.some((x) => x.code === 'duplicate-memory-id'), 'Rust findings');
      await client.currentDiagnostics(mo, (d) => d.some((x) => x.code === 'M0218'), 'Motoko findings from the compiler worker');
      // Unsaved edits, then every request an editor makes, quick fixes included (never applied).
      client.replace(rust, 'static CACHE', 'HashMap<u64, String>', 'HashMap<u64, u64>');
      client.replace(mo, 'stable var total', 'stable ', '');
      for (const uri of [rust, mo]) {
        const { diagnostics } = await client.nextDiagnostics(uri, () => true);
        const range = { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } };
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
        assert.ok(uri === mo || actions.some((a) => a.edit), 'quick fixes were built');
        await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 8 } });
        await client.request('textDocument/codeLens', { textDocument: { uri } });
        await client.request('textDocument/inlayHint', { textDocument: { uri }, range });
      }
      const map = await client.request<{ canisters: { name: string }[] }>('stableLens/memoryMap', {});
      assert.ok(map.canisters.length >= 2, 'both canisters are in the map');
      void client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: mo } });
      void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uriOf(path.join(dir, 'dfx.json')), type: 2 },
          { uri: uriOf(path.join(dir, 'mops.toml')), type: 2 },
        ],
      });
      await client.request('stableLens/memoryMap', {});
      client.close(rust);
      client.close(mo);
      assert.deepEqual(
        client.events.filter((e) => e.method === 'window/logMessage' && e.params.type === 1),
        [],
      );
    } finally {
      await client.stop();
    }
    const records = readSpyLog(log);
    assert.deepEqual(
      records.filter((r) => r.kind !== 'preload'),
      [],
      'no process, connection or write',
    );
    assert.ok(
      records.some((r) => r.kind === 'preload' && r.thread !== 'main'),
      'the spy also watched the Motoko worker thread',
    );
    assert.equal(fs.existsSync(path.join(dir, MARKER)), false);
    assert.deepEqual(snapshot(dir), before, 'no file was created, changed or touched');
  });
});
