import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type MarkupContent,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { parseMarkers } from '../harness/markers';
import { copyFixture, ensureBuilt, rangeOf, ROOT, TestClient, uriOf } from './client';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'lsp-motoko');
const ready = (c: TestClient) => c.waitFor('the ready status', (e) => (e.method === 'stableLens/status' && e.params.state === 'ready' ? true : undefined));
const render = (d: Diagnostic) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`;
/** Motoko's first check loads the compiler and type-checks mo:core: far slower than Rust. */
const MOTOKO_MS = 120_000;

describe('language server: Motoko', () => {
  let dir: string;
  let client: TestClient;
  let main: { file: string; uri: string };

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    main = { file: path.join(dir, 'src', 'main.mo'), uri: uriOf(path.join(dir, 'src', 'main.mo')) };
    client = await TestClient.start(dir);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes compiler codes and rule findings with exact ranges, and the bundled-core note on mops.toml', async () => {
    const expected = parseMarkers(fs.readFileSync(main.file, 'utf8')).map((m) => `${m.rule} ${m.line}:${m.column}-${m.endColumn}`);
    const { diagnostics } = await client.waitFor(
      'main.mo diagnostics',
      (e) => (e.method === 'textDocument/publishDiagnostics' && e.params.uri === main.uri && e.params.diagnostics.length ? e.params : undefined),
      0,
      MOTOKO_MS,
    );
    assert.deepEqual(diagnostics.map(render).sort(), expected.sort());
    const m0218 = diagnostics.find((d: Diagnostic) => d.code === 'M0218')!;
    assert.equal(m0218.severity, DiagnosticSeverity.Hint, 'a redundant `stable` changes nothing');
    assert.equal(m0218.source, 'stable-lens');
    assert.equal(m0218.codeDescription, undefined, 'compiler codes have no Stable Lens docs page');
    const rule = diagnostics.find((d: Diagnostic) => d.code === 'transient-user-data')!;
    assert.match(rule.codeDescription!.href, /docs\/rules\/transient-user-data\.md$/);
    const note = await client.currentDiagnostics(uriOf(path.join(dir, 'mops.toml')), (ds) => ds.length === 1);
    assert.equal(note.diagnostics[0].code, 'bundled-core');
    assert.equal(note.diagnostics[0].severity, DiagnosticSeverity.Information);
    assert.deepEqual(note.diagnostics[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } });
  });

  it('offers quick fixes, suppression and docs for rules, and only the fix for compiler codes', async () => {
    client.open(main.file);
    const { diagnostics } = await client.currentDiagnostics(main.uri, (ds) => ds.length === 3);
    const actionsFor = (code: string) => {
      const d = diagnostics.find((x) => x.code === code)!;
      return client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: main.uri },
        range: d.range,
        context: { diagnostics: [d], only: ['quickfix'] },
      });
    };
    const m0218 = await actionsFor('M0218');
    assert.deepEqual(
      m0218.map((a) => a.title),
      ['Remove the redundant `stable` keyword'],
    );
    const edit = (m0218[0].edit!.documentChanges![0] as TextDocumentEdit).edits[0];
    assert.deepEqual(edit, { range: rangeOf(client.text(main.uri), 'stable var total', 'stable '), newText: '' });
    const rule = await actionsFor('transient-user-data');
    assert.deepEqual(
      rule.map((a) => a.title),
      ['Remove `transient`: `orders` becomes stable', 'Suppress transient-user-data on this line', 'Show documentation for transient-user-data'],
    );
    const suppress = (rule[1].edit!.documentChanges![0] as TextDocumentEdit).edits[0] as TextEdit;
    assert.equal(suppress.newText, '  // stable-lens-ignore transient-user-data: <reason>\n');
  });

  it('checks the buffer as it is edited: a removed `stable` clears M0218', async () => {
    const cleared = client.nextDiagnostics(main.uri, (ds) => !ds.some((d) => d.code === 'M0218') && ds.length === 2, 'M0218 gone');
    client.replace(main.uri, 'stable var total', 'stable ', '');
    const { version } = await cleared;
    assert.equal(version, client.version(main.uri));
  });

  it('hovers a field with its stability and why, and the actor with its stable signature', async () => {
    const text = client.text(main.uri);
    const hover = (anchor: string, find: string) =>
      client
        .request<Hover>('textDocument/hover', { textDocument: { uri: main.uri }, position: rangeOf(text, anchor, find).start })
        .then((h) => (h.contents as MarkupContent).value);
    const orders = await hover('transient let orders', 'orders');
    assert.ok(orders.startsWith('**let `orders`** · transient'), orders);
    assert.ok(orders.includes('declared `transient`: it is initialised again on every upgrade'), orders);
    const customers = await hover('let customers', 'customers');
    assert.ok(customers.includes('the actor is declared `persistent`'), customers);
    const actor = await hover('persistent actor Shop', 'Shop');
    assert.ok(actor.startsWith('**persistent actor `Shop`** · declared `persistent`'), actor);
    assert.ok(actor.includes('| `orders` | let | **no** (transient) |'), actor);
    assert.ok(actor.includes('Checked as: moc version unknown: plain actors checked as classic'), actor);
    assert.match(actor, /```motoko\n\/\/ Version: 1\.0\.0[\s\S]*stable var total : Nat[\s\S]*```/);
  });

  it('lists the Motoko canister with its stable variables in the memory map', async () => {
    const map = await client.request<{ canisters: any[] }>('stableLens/memoryMap', {});
    const shop = map.canisters.find((c) => c.language === 'motoko');
    assert.ok(shop, JSON.stringify(map));
    assert.equal(shop.name, 'shop');
    assert.deepEqual(
      shop.stableVariables.map((v: { kind: string; name: string }) => `${v.kind} ${v.name}`),
      ['var total', 'let customers'],
    );
    assert.equal(shop.stableVariables[0].type, 'Nat');
    assert.deepEqual(
      shop.transientVariables.map((v: { name: string }) => v.name),
      ['orders'],
    );
  });
});

/** A large actor without imports: its first check takes the compiler seconds. */
function bigProgram(): string {
  const types = Array.from(
    { length: 250 },
    (_, i) => `  type R${i} = { id : Nat; name : Text; tags : [Text]; parent : ?R${Math.max(0, i - 1)}; kind : { #a; #b : Nat; #c : Text } };`,
  );
  const funcs = Array.from(
    { length: 250 },
    (_, i) => `  public func f${i}(r : R${i}) : async Nat { count += r.id + ${i}; switch (r.kind) { case (#a) 0; case (#b n) n; case (#c _) count } };`,
  );
  return ['persistent actor Big {', '  var count = 0;', ...types, ...funcs, '};', ''].join('\n');
}

describe('language server: Motoko never delays Rust', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    ensureBuilt();
    dir = copyFixture(path.join(ROOT, 'test', 'fixtures', 'projects', 'lsp-canister'));
    fs.writeFileSync(path.join(dir, 'src', 'big.mo'), bigProgram());
    client = await TestClient.start(dir);
    await ready(client);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes Rust diagnostics for an edit while a big Motoko file is being checked', async (t) => {
    const big = path.join(dir, 'src', 'big.mo');
    const lib = path.join(dir, 'src', 'lib.rs');
    const from = client.events.length;
    const motokoUri = client.open(big);
    client.replace(motokoUri, 'var count = 0;', '0', '1');
    const rustUri = client.open(lib);
    const started = Date.now();
    client.replace(rustUri, 'const SESSIONS', 'new(4)', 'new(5)');
    await client.waitFor(
      'the Rust duplicate-memory-id',
      (e) =>
        e.method === 'textDocument/publishDiagnostics' && e.params.diagnostics.some((d: Diagnostic) => d.code === 'duplicate-memory-id') ? true : undefined,
      from,
      10_000,
    );
    const rustMs = Date.now() - started;
    const rustAt = client.events.length;
    const motoko = await client.waitFor(
      'big.mo diagnostics',
      (e) => (e.method === 'textDocument/publishDiagnostics' && e.params.uri === motokoUri && e.params.version === 2 ? true : undefined),
      from,
      MOTOKO_MS,
    );
    assert.ok(motoko);
    t.diagnostic(`Rust after ${rustMs} ms; Motoko after ${Date.now() - started} ms`);
    const motokoAt = client.events.findIndex(
      (e, i) => i >= from && e.method === 'textDocument/publishDiagnostics' && e.params.uri === motokoUri && e.params.version === 2,
    );
    assert.ok(motokoAt >= rustAt - 1, `Rust (event ${rustAt}) came before Motoko (event ${motokoAt})`);
    assert.ok(rustMs < 5_000, `Rust diagnostics took ${rustMs} ms`);
  });
});
