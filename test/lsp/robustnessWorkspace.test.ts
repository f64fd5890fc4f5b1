import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileChangeType, type Hover } from 'vscode-languageserver-protocol/node';
import { copyFixture, ensureBuilt, ROOT, TestClient, uriOf } from './client';

/**
 * Workspaces that fight back: files deleted under the index, folders that cannot be read, FIFOs
 * that would block a read forever, a 50 MB source and binary files. The server must say what it
 * skipped, never hang, and keep answering.
 */
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'projects', 'lsp-canister');
const HEAP =
  'thread_local! {\n    static EXTRA: std::cell::Cell<u64> = std::cell::Cell::new(0);\n}\n\n#[ic_cdk::update]\nfn bump() {\n    EXTRA.with(|e| e.set(e.get() + 1));\n}\n';

describe('language server robustness: hostile workspaces', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = copyFixture(FIXTURE);
    dirs.push(d);
    return d;
  };
  const logged = (c: TestClient) => c.events.filter((e) => e.method === 'window/logMessage').map((e) => String(e.params.message));
  const hoverLib = (c: TestClient, dir: string) =>
    c.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(path.join(dir, 'src', 'lib.rs')) }, position: { line: 11, character: 14 } });
  const mkfifo = (p: string) => assert.equal(spawnSync('mkfifo', [p]).status, 0, `mkfifo ${p}`);
  before(() => ensureBuilt());
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('forgets files deleted while indexed, with or without a watcher event', async () => {
    const dir = fresh();
    const extra = path.join(dir, 'src', 'extra.rs');
    const types = path.join(dir, 'src', 'types.rs');
    fs.writeFileSync(extra, HEAP);
    fs.appendFileSync(path.join(dir, 'src', 'lib.rs'), '\nmod extra;\n');
    const client = await TestClient.start(dir);
    try {
      const uri = uriOf(extra);
      await client.currentDiagnostics(uri, (d) => d.length > 0, 'the finding in extra.rs');
      fs.rmSync(extra);
      const cleared = client.nextDiagnostics(uri, (d) => d.length === 0, 'extra.rs cleared');
      void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: FileChangeType.Deleted }] });
      await cleared;
      // A file gone before its watcher event arrives, and events for files that never existed.
      fs.rmSync(types);
      void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uriOf(types), type: FileChangeType.Changed },
          { uri: uriOf(path.join(dir, 'src', 'never.rs')), type: FileChangeType.Deleted },
          { uri: uriOf(path.join(dir, 'Cargo.lock')), type: FileChangeType.Created },
        ],
      });
      assert.ok(await hoverLib(client, dir), 'lib.rs still answers');
      // The whole crate goes, manifest and all.
      fs.rmSync(path.join(dir, 'src'), { recursive: true });
      fs.rmSync(path.join(dir, 'Cargo.toml'));
      void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uriOf(path.join(dir, 'Cargo.toml')), type: FileChangeType.Deleted }],
      });
      assert.deepEqual((await client.request<{ canisters: unknown[] }>('stableLens/memoryMap', {})).canisters, []);
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });

  it('starts on folders that are a file, a dangling symlink or a FIFO, and skips FIFOs inside a crate', async () => {
    const dir = fresh();
    const odd = path.join(path.dirname(dir), `${path.basename(dir)}-odd`);
    fs.mkdirSync(odd);
    dirs.push(odd);
    fs.writeFileSync(path.join(odd, 'file'), 'not a folder');
    fs.symlinkSync(path.join(odd, 'gone'), path.join(odd, 'dangling'));
    mkfifo(path.join(odd, 'fifo'));
    // Every name the server reads: a read of any of them would block until a writer comes.
    for (const name of ['src/fifo.rs', 'Cargo.lock', 'stable-layout.lock.json', 'dfx.json', 'mops.toml', 'src/fifo.mo', 'Fifo.mo'])
      mkfifo(path.join(dir, name));
    fs.symlinkSync('.', path.join(dir, 'src', 'loop'));
    fs.symlinkSync(path.join(dir, 'gone.rs'), path.join(dir, 'src', 'dangling.rs'));
    const folders = [path.join(odd, 'file'), path.join(odd, 'dangling'), path.join(odd, 'fifo'), dir];
    const real = await TestClient.start(folders[0]);
    try {
      void real.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: folders.slice(1).map((f) => ({ uri: uriOf(f), name: path.basename(f) })), removed: [] },
      });
      await real.ready();
      const ids = (await real.request<{ canisters: { ids: unknown[] }[] }>('stableLens/memoryMap', {})).canisters.flatMap((c) => c.ids);
      assert.equal(ids.length, 5, 'the crate in the real folder is analysed');
      assert.ok(await hoverLib(real, dir));
      // A loose Motoko file next to Fifo.mo: the compiler must not block reading its neighbour.
      real.open(path.join(dir, 'Plain.mo'), 'actor { };\n');
      const actions = await real.request<{ title: string }[]>('textDocument/codeAction', {
        textDocument: { uri: uriOf(path.join(dir, 'Plain.mo')) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        context: { diagnostics: [] },
      });
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Stable Lens: fix all safe problems in file'],
        'the check ran to the end (M0220 has a fix)',
      );
      assert.deepEqual(real.failures(), []);
    } finally {
      await real.stop();
    }
  });

  it('skips a 50 MB source and binary files with one message each, and stays responsive', async () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'src', 'huge.rs'), Buffer.alloc(50 * 1024 * 1024, '// filler line\n'));
    fs.writeFileSync(path.join(dir, 'src', 'binary.rs'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(dir, 'src', 'latin1.rs'), Buffer.from('// caf\xe9\nfn main() {}\n', 'latin1'));
    fs.writeFileSync(path.join(dir, 'Huge.mo'), Buffer.alloc(50 * 1024 * 1024, '// filler line\n'));
    const client = await TestClient.start(dir);
    try {
      await client.ready();
      const started = Date.now();
      assert.ok(await hoverLib(client, dir));
      assert.ok(Date.now() - started < 5_000, 'a hover answers while big files sit in the workspace');
      for (const expected of [
        /huge\.rs: skipped, 50\.0 MB is larger than the 5 MB limit/,
        /binary\.rs: skipped, it looks like a binary file/,
        /latin1\.rs: skipped, it is not valid UTF-8/,
        /Huge\.mo: skipped, 50\.0 MB is larger/,
      ]) {
        await client.waitFor(String(expected), (e) => (e.method === 'window/logMessage' && expected.test(e.params.message) ? true : undefined));
        assert.equal(logged(client).filter((m) => expected.test(m)).length, 1, `${expected} once`);
      }
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });

  it('skips an open buffer past the size limit with one message, through later edits too', async () => {
    const dir = fresh();
    const client = await TestClient.start(dir);
    try {
      await client.ready();
      // Six million characters of valid Rust and Motoko, opened in the editor without being on disk.
      const filler = '// filler line\n'.repeat(400_000);
      const rust = path.join(dir, 'src', 'big.rs');
      const motoko = path.join(dir, 'Big.mo');
      const uris = [client.open(rust, `${filler}fn main() {}\n`), client.open(motoko, `${filler}persistent actor {};\n`)];
      for (const uri of uris) client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' }]);
      for (const file of [rust, motoko]) {
        const expected = new RegExp(`${path.basename(file).replace('.', '\\.')}: skipped, the open buffer is larger than the 5 MB limit`);
        await client.waitFor(String(expected), (e) => (e.method === 'window/logMessage' && expected.test(e.params.message) ? true : undefined));
      }
      assert.ok(await hoverLib(client, dir), 'the rest of the crate still answers');
      for (const name of ['big.rs', 'Big.mo']) assert.equal(logged(client).filter((m) => m.includes(`${name}: skipped`)).length, 1, `${name} once`);
      assert.deepEqual(client.failures(), []);
    } finally {
      await client.stop();
    }
  });
});
