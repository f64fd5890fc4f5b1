import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/node';
import { copyFixture, ensureBuilt, rangeOf, ROOT, TestClient, uriOf } from './client';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'lsp-motoko-upgrade');
/** A stable signature takes the compiler seconds; the first one also loads it. */
const MOTOKO_MS = 120_000;
const has = (code: string) => (ds: Diagnostic[]) => ds.some((d) => d.code === code);

describe('language server: Motoko upgrade compatibility against the lockfile', () => {
  let dir: string;
  let client: TestClient;
  let main: string;
  let uri: string;
  let lockfile: string;

  /** The first publish for main.mo from event `from` on that `pred` accepts, waiting as long as a compile may take. */
  const diagnostics = (pred: (ds: Diagnostic[]) => boolean, from = client.events.length) =>
    client.waitFor<PublishDiagnosticsParams>(
      'main.mo diagnostics',
      (e) => (e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri && pred(e.params.diagnostics) ? e.params : undefined),
      from,
      MOTOKO_MS,
    );

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    main = path.join(dir, 'main.mo');
    lockfile = path.join(dir, 'stable-layout.lock.json');
    client = await TestClient.start(dir);
    uri = client.open(main);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports the compiler's verdict at the declaration, with the recorded line of the lockfile", async () => {
    const { diagnostics: ds } = await diagnostics((d) => has('stable-signature-break')(d) && has('initializer-change-ignored')(d), 0);
    const text = client.text(uri);
    const brk = ds.find((d) => d.code === 'stable-signature-break')!;
    assert.deepEqual(brk.range, rangeOf(text, 'var balance', 'balance'));
    assert.match(String(brk.message), /^the new type of stable variable `balance` is not compatible with the previous version; .* \(M0170\)$/);
    const lockText = fs.readFileSync(lockfile, 'utf8');
    assert.deepEqual(
      brk.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [
        [
          uriOf(lockfile),
          lockText.split('\n').findIndex((l) => l.includes('stable var balance : Int')),
          'recorded in stable-layout.lock.json: stable var balance : Int',
        ],
      ],
    );
    const init = ds.find((d) => d.code === 'initializer-change-ignored')!;
    assert.deepEqual(init.range, rangeOf(text, 'var fee', '25'));
    assert.match(String(init.message), /^`fee` was deployed with initial value `10`/);
  });

  it('hovers the actor with the recorded signature next to the current one', async () => {
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: rangeOf(client.text(uri), 'actor Account', 'Account').start,
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /Stable signature:\n\n```motoko\n[^`]*stable var balance : Nat[^`]*```/);
    assert.match(value, /\*\*Recorded in stable-layout\.lock\.json\*\* \(the deployed signature\):\n\n```motoko\n[^`]*stable var balance : Int[^`]*```/);
  });

  it('takes a new verdict from the signature compiled on save', async () => {
    client.replace(uri, 'var balance', 'Nat', 'Int');
    const from = client.events.length;
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await diagnostics((d) => !has('stable-signature-break')(d) && has('initializer-change-ignored')(d), from);
  });

  it('records the new layout with the quick fix and with the command', async () => {
    const lockUri = uriOf(lockfile);
    const init = client.latestDiagnostics(uri).find((d) => d.code === 'initializer-change-ignored')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: init.range,
      context: { diagnostics: [init], only: ['quickfix'] },
    });
    const record = actions.find((a) => a.title === 'Record the new layout in stable-layout.lock.json');
    assert.ok(record, `actions: ${actions.map((a) => a.title).join(', ')}`);
    const change = record.edit!.documentChanges!.find((c) => (c as TextDocumentEdit).textDocument.uri === lockUri) as TextDocumentEdit;
    fs.writeFileSync(lockfile, (change.edits[0] as TextEdit).newText);
    assert.equal(JSON.parse(fs.readFileSync(lockfile, 'utf8')).canisters.Account.variables.fee.initializer, '25');
    let from = client.events.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: lockUri, type: 2 }] });
    await diagnostics((d) => d.length === 0, from);

    client.replace(uri, 'var fee', '25', '30');
    await diagnostics(has('initializer-change-ignored'));
    from = client.events.length;
    const written = await client.request('workspace/executeCommand', { command: 'stableLens.recordLayout', arguments: [uri] });
    assert.deepEqual(written, [lockUri]);
    assert.equal(JSON.parse(fs.readFileSync(lockfile, 'utf8')).canisters.Account.variables.fee.initializer, '30');
    await diagnostics((d) => d.length === 0, from);
  });
});

describe('language server: Motoko upgrade compatibility against a git revision', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=Stable Lens', '-c', 'user.email=test@example.com', ...args], { stdio: 'pipe' });
  const diagnostics = (pred: (ds: Diagnostic[]) => boolean, from = client.events.length) =>
    client.waitFor<PublishDiagnosticsParams>(
      'main.mo diagnostics',
      (e) => (e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri && pred(e.params.diagnostics) ? e.params : undefined),
      from,
      MOTOKO_MS,
    );

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    fs.rmSync(path.join(dir, 'stable-layout.lock.json'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'deployed');
    client = await TestClient.start(dir);
    // The verbose trace says when a signature was compared with the baseline.
    client.settings = { baseline: 'git:HEAD', trace: { server: 'verbose' } };
    uri = client.open(path.join(dir, 'main.mo'));
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compares with the new commit once the ref moves', async () => {
    // Widening the deployed Nat to Int is a compatible upgrade: no finding, but a comparison made.
    client.replace(uri, 'var balance', 'Nat', 'Int');
    const saved = client.events.length;
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const compared = (e: { method: string; params: { message?: unknown } }) =>
      e.method === 'window/logMessage' && /compared .*main\.mo with git HEAD/.test(String(e.params.message)) ? true : undefined;
    await client.waitFor('the comparison with HEAD', compared, saved, MOTOKO_MS);
    // A commit that deploys a Text balance moves HEAD; against it, the Int in the editor breaks the upgrade.
    const main = path.join(dir, 'main.mo');
    const text = fs.readFileSync(main, 'utf8');
    fs.writeFileSync(main, text.replace('var balance : Nat = 0', 'var balance : Text = ""').replace('balance += amount', 'balance #= "+"'));
    git('commit', '-q', '-am', 'deploy a Text balance');
    fs.writeFileSync(main, text);
    client.replace(uri, 'var fee', '25', '26');
    const from = client.events.length;
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const { diagnostics: ds } = await diagnostics(has('stable-signature-break'), from);
    assert.match(String(ds.find((d) => d.code === 'stable-signature-break')!.message), /stable variable `balance`/);
  });
});
