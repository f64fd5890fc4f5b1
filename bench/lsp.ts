import * as fs from 'node:fs';
import * as path from 'node:path';
import { positionAt, TestClient } from '../test/lsp/client';
import { ms, percentile, rssMb } from './measure';

/** Waits for the diagnostics of one version of a buffer. */
export function diagnosticsFor(client: TestClient, uri: string, version: number, timeoutMs = 30_000): Promise<unknown> {
  return client.waitFor(
    `diagnostics v${version}`,
    (e) =>
      e.method === 'textDocument/publishDiagnostics' &&
      (e.params as { uri: string; version?: number }).uri === uri &&
      (e.params as { version?: number }).version === version
        ? true
        : undefined,
    client.events.length,
    timeoutMs,
  );
}

export async function ready(client: TestClient): Promise<void> {
  await client.waitFor(
    'the ready status',
    (e) => (e.method === 'stableLens/status' && (e.params as { state: string }).state === 'ready' ? true : undefined),
    0,
    600_000,
  );
}

/**
 * Typing, hover and code-action latency on one big file through the real server over stdio: 200
 * single-character edits typed into a function body, each followed by the wait for its diagnostics.
 */
export async function editorLatency(
  workspace: string,
  file: string,
): Promise<{ keystrokeP50: number; keystrokeP95: number; hoverP95: number; codeActionP95: number; rssMb: number; rssGrowthMb: number; lines: number }> {
  const client = await TestClient.start(workspace);
  try {
    await ready(client);
    const uri = client.open(file);
    await diagnosticsFor(client, uri, 1);
    const text = client.text(uri);
    const anchor = text.indexOf('{\n', text.indexOf('pub fn fee_tier_', Math.floor(text.length / 2))) + 2;
    const typed = 'let total = amount * 3 + 1; ';
    const keystrokes: number[] = [];
    let at = anchor;
    for (let i = 0; i < 200; i++) {
      const ch = typed[i % typed.length];
      const pos = positionAt(client.text(uri), at);
      const started = performance.now();
      client.change(uri, [{ range: { start: pos, end: pos }, text: ch }]);
      await diagnosticsFor(client, uri, client.version(uri));
      keystrokes.push(performance.now() - started);
      at++;
    }
    const hovers: number[] = [];
    const codeActions: number[] = [];
    const now = client.text(uri);
    const idPos = positionAt(now, now.indexOf('MemoryId::new(') + 2);
    const statePos = positionAt(now, now.indexOf('SESSIONS_') + 1);
    for (let i = 0; i < 50; i++) {
      let t = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position: idPos });
      hovers.push(performance.now() - t);
      t = performance.now();
      await client.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: statePos, end: statePos },
        context: { diagnostics: client.latestDiagnostics(uri) },
      });
      codeActions.push(performance.now() - t);
    }
    const rssBefore = rssMb(client.proc.pid!);
    // 10,000 edits in batches, as fast typing would send them: insert a character, then delete it.
    for (let batch = 0; batch < 100; batch++) {
      for (let i = 0; i < 100; i++) {
        const pos = positionAt(client.text(uri), anchor);
        const insert = i % 2 === 0;
        client.change(uri, [
          { range: insert ? { start: pos, end: pos } : { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: insert ? 'x' : '' },
        ]);
      }
      await diagnosticsFor(client, uri, client.version(uri));
    }
    const rssAfter = rssMb(client.proc.pid!);
    return {
      keystrokeP50: ms(percentile(keystrokes, 50)),
      keystrokeP95: ms(percentile(keystrokes, 95)),
      hoverP95: ms(percentile(hovers, 95)),
      codeActionP95: ms(percentile(codeActions, 95)),
      rssMb: rssBefore,
      rssGrowthMb: rssAfter - rssBefore,
      lines: text.split('\n').length,
    };
  } finally {
    await client.stop();
  }
}

/** Server memory after indexing a whole workspace. */
export async function indexedRss(workspace: string): Promise<number> {
  const client = await TestClient.start(workspace);
  try {
    await ready(client);
    return rssMb(client.proc.pid!);
  } finally {
    await client.stop();
  }
}

/** Writes a one-crate workspace around one big file of about `lines` lines. */
export function bigFileWorkspace(dir: string, lines: number, body: (lines: number) => string): { workspace: string; file: string } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'Cargo.toml'),
    '[package]\nname = "big"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nic-stable-structures = "0.7.2"\n',
  );
  const file = path.join(dir, 'src', 'lib.rs');
  fs.writeFileSync(file, body(lines));
  return { workspace: dir, file };
}
