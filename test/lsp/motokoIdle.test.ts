import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { copyFixture, ensureBuilt, rangeOf, ROOT, TestClient } from './client';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'lsp-motoko-upgrade');
/** A stable signature takes the compiler seconds; the first one also loads it. */
const MOTOKO_MS = 120_000;
const breaks = (ds: Diagnostic[]) => ds.some((d) => d.code === 'stable-signature-break');
/** The server's verbose trace logs one line per signature compile. */
const COMPILED = /^Stable Lens: compiled the stable signature of .*main\.mo in \d+ ms$/;

describe('language server: Motoko upgrade verdicts while typing, before any save', () => {
  let dir: string;
  let client: TestClient;
  let main: string;
  let uri: string;

  /** The first publish for main.mo from event `from` on that `pred` accepts, waiting as long as a compile may take. */
  const diagnostics = (pred: (ds: Diagnostic[]) => boolean, from: number) =>
    client.waitFor<PublishDiagnosticsParams>(
      'main.mo diagnostics',
      (e) => (e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri && pred(e.params.diagnostics) ? e.params : undefined),
      from,
      MOTOKO_MS,
    );
  const compiles = (from: number) =>
    client.events.slice(from).filter((e) => e.method === 'window/logMessage' && COMPILED.test(String(e.params.message))).length;

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    main = path.join(dir, 'main.mo');
    client = await TestClient.start(dir);
    client.settings = { trace: { server: 'verbose' } };
    uri = client.open(main);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns an unsaved breaking edit red once typing pauses', async () => {
    // The lockfile records `balance : Int`, so the file on disk (`Nat`) breaks the upgrade.
    await diagnostics(breaks, 0);
    let from = client.events.length;
    client.replace(uri, 'var balance', 'Nat', 'Int');
    await diagnostics((ds) => !breaks(ds), from);

    from = client.events.length;
    client.replace(uri, 'var balance', 'Int', 'Nat');
    const { diagnostics: ds, version } = await diagnostics(breaks, from);
    assert.equal(version, client.version(uri), 'the verdict is of the current buffer');
    const brk = ds.find((d) => d.code === 'stable-signature-break')!;
    assert.deepEqual(brk.range, rangeOf(client.text(uri), 'var balance', 'balance'));
    assert.match(String(brk.message), /stable variable `balance`/);
    assert.match(fs.readFileSync(main, 'utf8'), /var balance : Nat/, 'nothing was saved');
  });

  it('compiles one signature after a burst of keystrokes, not one per keystroke', async () => {
    const from = client.events.length;
    // Each keystroke waits for its own check, as an editor user sees them, but never pauses long.
    for (let i = 0; i < 20; i++) {
      const sent = client.events.length;
      client.replace(uri, 'var fee', `25${'0'.repeat(i)}`, `25${'0'.repeat(i + 1)}`);
      const version = client.version(uri);
      await client.waitFor(
        'the check of the keystroke',
        (e) => (e.method === 'textDocument/publishDiagnostics' && e.params.uri === uri && e.params.version === version ? true : undefined),
        sent,
        MOTOKO_MS,
      );
    }
    assert.equal(compiles(from), 0, 'no signature is compiled while typing');
    client.replace(uri, 'var balance', 'Nat', 'Int');
    await diagnostics((ds) => !breaks(ds), from);
    assert.equal(compiles(from), 1);
  });
});
