import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyFixture, ensureBuilt, ROOT, TestClient, uriOf } from './client';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'rules', 'memory-layout-break', 'key-change');

describe('language server: upgrade compatibility against the lockfile', () => {
  let client: TestClient;
  let dir: string;

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    client = await TestClient.start(dir);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports a breaking edit as it is typed, then accepts a recorded layout', async () => {
    const lib = path.join(dir, 'src', 'lib.rs');
    const uri = client.open(lib);
    const broken = await client.currentDiagnostics(uri, (ds) => ds.some((d) => d.code === 'memory-layout-break'));
    const diag = broken.diagnostics.find((d) => d.code === 'memory-layout-break')!;
    assert.match(String(diag.message), /key type of MemoryId 0 changed from `u64` to `String`/);
    assert.equal(diag.relatedInformation?.[0].location.uri, uriOf(path.join(dir, 'stable-layout.lock.json')));

    // The hover on the structure shows what the lockfile recorded next to the current state.
    const text = client.text(uri);
    const at = text.indexOf('USERS');
    const line = text.slice(0, at).split('\n').length - 1;
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: at - text.lastIndexOf('\n', at) } });
    assert.match(
      hover.contents.value,
      /\*\*Recorded in stable-layout\.lock\.json\*\* \(the deployed layout\):\n\n- recorded: StableBTreeMap<u64, u64> `USERS`\n- now: StableBTreeMap<String, u64> `USERS`/,
    );

    // Typing the old key type back clears it before any save.
    client.replace(uri, 'StableBTreeMap<String, u64, Memory>', 'String', 'u64');
    await client.nextDiagnostics(uri, (ds) => !ds.some((d) => d.code === 'memory-layout-break'));

    // Recording the new layout (as the quick fix or `stable-lens lock` would) makes the String key the baseline.
    client.replace(uri, 'StableBTreeMap<u64, u64, Memory>> = RefCell::new(StableBTreeMap::init(memory(0)))', 'u64', 'String');
    await client.nextDiagnostics(uri, (ds) => ds.some((d) => d.code === 'memory-layout-break'));
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    const record = actions.find((a: { title: string }) => a.title === 'Record the new layout in stable-layout.lock.json');
    assert.ok(record, `actions: ${actions.map((a: { title: string }) => a.title).join(', ')}`);
    const lockUri = uriOf(path.join(dir, 'stable-layout.lock.json'));
    const change = record.edit.documentChanges?.find((c: { textDocument: { uri: string } }) => c.textDocument.uri === lockUri) ?? {
      edits: record.edit.changes[lockUri],
    };
    fs.writeFileSync(path.join(dir, 'stable-layout.lock.json'), change.edits[0].newText);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: lockUri, type: 2 }] });
    await client.nextDiagnostics(uri, (ds) => !ds.some((d) => d.code === 'memory-layout-break'));
  });

  it('records the current layout with the stableLens.recordLayout command', async () => {
    const lib = path.join(dir, 'src', 'lib.rs');
    const uri = uriOf(lib);
    client.replace(uri, 'StableBTreeMap<String, u64, Memory>', 'String', 'u128');
    await client.nextDiagnostics(uri, (ds) => ds.some((d) => d.code === 'memory-layout-break'));
    const written = await client.request('workspace/executeCommand', { command: 'stableLens.recordLayout', arguments: [uri] });
    assert.deepEqual(written, [uriOf(path.join(dir, 'stable-layout.lock.json'))]);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'stable-layout.lock.json'), 'utf8'));
    assert.equal(lock.memoryIds['0'].key.written, 'u128');
    await client.nextDiagnostics(uri, (ds) => !ds.some((d) => d.code === 'memory-layout-break'));
  });
});

describe('language server: upgrade compatibility against a git revision', () => {
  let client: TestClient;
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=Stable Lens', '-c', 'user.email=test@example.com', ...args], { stdio: 'pipe' });

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    fs.rmSync(path.join(dir, 'stable-layout.lock.json'));
    // The deployed version keys USERS by u64; the working tree keys it by String.
    const lib = path.join(dir, 'src', 'lib.rs');
    const text = fs.readFileSync(lib, 'utf8');
    fs.writeFileSync(lib, text.replace('StableBTreeMap<String, u64, Memory>', 'StableBTreeMap<u64, u64, Memory>'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'deployed');
    fs.writeFileSync(lib, text);
    client = await TestClient.start(dir);
    client.settings = { baseline: 'git:HEAD' };
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the baseline again once a commit moves the ref', async () => {
    const uri = client.open(path.join(dir, 'src', 'lib.rs'));
    const broken = await client.currentDiagnostics(uri, (ds) => ds.some((d) => d.code === 'memory-layout-break'));
    assert.match(String(broken.diagnostics.find((d) => d.code === 'memory-layout-break')!.message), /key type of MemoryId 0 changed from `u64` to `String`/);
    // Committing the String key makes it the layout HEAD holds: the next analysis compares with that.
    git('commit', '-q', '-am', 'deploy the String key');
    client.replace(uri, 'StableBTreeMap<String, u64, Memory>', 'String', 'u128');
    const again = await client.nextDiagnostics(uri, (ds) => ds.some((d) => d.code === 'memory-layout-break'));
    assert.match(String(again.diagnostics.find((d) => d.code === 'memory-layout-break')!.message), /key type of MemoryId 0 changed from `String` to `u128`/);
  });
});
