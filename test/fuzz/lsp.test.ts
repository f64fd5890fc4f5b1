import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { copyFixture, ensureBuilt, ROOT, TestClient, uriOf } from '../lsp/client';
import { mutatedMotoko, mutatedRust, runs } from './generators';

/**
 * Fuzzed documents through the language server: opened, then changed in batches of random full and
 * incremental edits (ranges out of bounds included). After every batch the server must answer a
 * hover and a code action for each document, stay alive, and log no failure.
 */

const position = fc.record({ line: fc.oneof(fc.nat({ max: 80 }), fc.constant(1e6)), character: fc.oneof(fc.nat({ max: 120 }), fc.constant(1e6)) });
const range = fc
  .tuple(position, position)
  .map(([a, b]) => (a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a }));

function changes(source: fc.Arbitrary<string>): fc.Arbitrary<TextDocumentContentChangeEvent[]> {
  const snippet = fc.oneof(
    fc.constantFrom('', '{', '}', '\n', '255', 'MemoryId::new(0)', 'stable ', 'transient ', '😀', '\r\n', '\0'),
    fc.string({ maxLength: 30 }),
  );
  const change = fc.oneof({ weight: 1, arbitrary: source.map((text) => ({ text })) }, { weight: 4, arbitrary: fc.record({ range, text: snippet }) });
  return fc.array(change, { minLength: 0, maxLength: 5 });
}

interface Doc {
  uri: string;
  text: TextDocument;
  changes: fc.Arbitrary<TextDocumentContentChangeEvent[]>;
}

describe('fuzz: the language server under random documents and edits', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    ensureBuilt();
    dir = copyFixture(path.join(ROOT, 'test', 'fixtures', 'projects', 'lsp-canister'));
    client = await TestClient.start(dir);
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function answers(doc: Doc, at: { line: number; character: number }, span: { start: typeof at; end: typeof at }): Promise<void> {
    const textDocument = { uri: doc.uri };
    const diagnostics = client.latestDiagnostics(doc.uri);
    const [hover, actions] = await Promise.all([
      client.request('textDocument/hover', { textDocument, position: at }),
      client.request('textDocument/codeAction', { textDocument, range: span, context: { diagnostics } }),
    ]);
    assert.ok(hover === null || typeof hover === 'object', 'a hover answer');
    assert.ok(Array.isArray(actions), 'a code action answer');
  }

  function open(file: string, languageId: string, text: string, source: fc.Arbitrary<string>): Doc {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const uri = uriOf(file);
    void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return { uri, text: TextDocument.create(uri, languageId, 1, text), changes: changes(source) };
  }

  function send(doc: Doc, contentChanges: TextDocumentContentChangeEvent[]): void {
    const version = doc.text.version + 1;
    TextDocument.update(doc.text, contentChanges, version);
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version }, contentChanges });
  }

  it('answers a hover and a code action after every batch of Rust edits, and never goes down', async () => {
    const rust = mutatedRust();
    const docs = fc.sample(rust, runs(3)).map((text, i) => open(path.join(dir, 'src', `fuzz_${i}.rs`), 'rust', text, rust));
    const batches = fc.sample(fc.tuple(...docs.map((d) => d.changes), position, range), runs(40));
    for (const [i, batch] of batches.entries()) {
      docs.forEach((d, k) => send(d, batch[k] as TextDocumentContentChangeEvent[]));
      const [at, span] = batch.slice(-2) as [
        { line: number; character: number },
        { start: { line: number; character: number }; end: { line: number; character: number } },
      ];
      for (const d of docs) await answers(d, at, span);
      assert.equal(client.proc.exitCode, null, `the server is up after batch ${i}`);
    }
    // The buffers as the server holds them are analysed to the end: each file's last publish is for its last version.
    for (const d of docs) {
      await client.request('textDocument/codeLens', { textDocument: { uri: d.uri } });
      const last = client.events.filter((e) => e.method === 'textDocument/publishDiagnostics' && e.params.uri === d.uri).pop();
      assert.ok(
        !last || last.params.version === d.text.version,
        `${path.basename(d.uri)} was published for version ${last?.params.version}, not ${d.text.version}`,
      );
    }
    const failures = client.events.filter((e) => e.method === 'window/logMessage' && e.params.type === 1).map((e) => e.params.message);
    assert.deepEqual(failures, [], 'no feature failed');
  });

  it('answers for a Motoko buffer under random edits too (compiler in its worker)', async () => {
    const motoko = mutatedMotoko();
    const [doc] = fc.sample(motoko, runs(1)).map((text) => open(path.join(dir, 'mo', 'Fuzz.mo'), 'motoko', text, motoko));
    const batches = fc.sample(fc.tuple(doc.changes, position, range), runs(8));
    for (const [changes, at, span] of batches) {
      send(doc, changes);
      await answers(doc, at, span);
      assert.equal(client.proc.exitCode, null);
    }
    const failures = client.events.filter((e) => e.method === 'window/logMessage' && e.params.type === 1).map((e) => e.params.message);
    assert.deepEqual(failures, [], 'no feature failed');
  });
});
