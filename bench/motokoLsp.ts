/**
 * Motoko through the real server over stdio: check latency as a user feels it (edit to the
 * publishDiagnostics of that version), and Rust keystroke latency in the same server while the
 * Motoko compiler is busy, against the same file with Motoko idle. Printed, never asserted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { positionAt, TestClient } from '../test/lsp/client';
import { bigFile } from './generate';
import { bigFileWorkspace, diagnosticsFor, ready } from './lsp';
import { ms, percentile } from './measure';
import { bigActor } from './motoko';

/** The first check starts the worker and loads the compiler. */
const COLD_MS = 120_000;
/** The verbose trace logs one line per finished Motoko check with its duration, so we know when checks ran. */
const CHECKED = /^Stable Lens: checked .*main\.mo in (\d+) ms/;
const FUNC = 'public func f250(r : R250) : async Nat { count += r.id + 1';

interface Span {
  start: number;
  end: number;
}

/** A Rust crate around a 10k-line file (as the keystroke figure uses) and a Motoko project with a ~1k-line actor. */
function workspace(dir: string): { root: string; rust: string; motoko: string } {
  const { file } = bigFileWorkspace(dir, 10_000, bigFile);
  const mo = path.join(dir, 'motoko');
  fs.mkdirSync(mo, { recursive: true });
  fs.writeFileSync(path.join(mo, 'mops.toml'), '[canisters.big]\nmain = "main.mo"\n');
  // A literal in one function body, so each typed digit leaves a valid actor that is fully type-checked.
  const actor = bigActor(500).replace('public func f250(r : R250) : async Nat { count += r.id', FUNC);
  fs.writeFileSync(path.join(mo, 'main.mo'), actor);
  return { root: dir, rust: file, motoko: path.join(mo, 'main.mo') };
}

/** Sends one edit and times it to the publishDiagnostics of the new version. */
async function timedEdit(client: TestClient, uri: string, at: number, text: string): Promise<Span> {
  const pos = positionAt(client.text(uri), at);
  const start = performance.now();
  client.change(uri, [{ range: { start: pos, end: pos }, text }]);
  await diagnosticsFor(client, uri, client.version(uri));
  return { start, end: performance.now() };
}

/**
 * Runs `edits` Motoko checks back to back: edits the buffer, waits for that version's diagnostics,
 * edits again. An edit before every Rust keystroke would not do: the server restarts its coalescing
 * timer on each edit, so with keystrokes ~15 ms apart no check would ever start.
 */
class MotokoPump {
  /** When checks ran, in this process's clock: each ends at its publish and lasts what the server logged. */
  readonly checks: Span[] = [];
  done = false;
  readonly finished: Promise<void>;

  constructor(
    private readonly client: TestClient,
    private readonly uri: string,
    private readonly at: number,
    edits: number,
  ) {
    this.finished = this.run(edits);
    // A failed check surfaces where `finished` is awaited, not as an unhandled rejection while Rust is typed.
    this.finished.catch(() => undefined);
  }

  private async run(edits: number): Promise<void> {
    try {
      for (let i = 0; i < edits; i++) {
        const from = this.client.events.length;
        const { end } = await timedEdit(this.client, this.uri, this.at, '1');
        const logged = this.client.events
          .slice(from)
          .map((e) => (e.method === 'window/logMessage' ? CHECKED.exec(String(e.params.message)) : null))
          .find((m) => m);
        if (logged) this.checks.push({ start: end - Number(logged[1]), end });
      }
    } finally {
      // Set on failure too, or the Rust typing that waits on it would never end.
      this.done = true;
    }
  }
}

export async function motokoLspFigures(work: string): Promise<Record<string, number | string>> {
  const files = workspace(path.join(work, 'motoko-lsp'));
  const client = await TestClient.start(files.root);
  // The trace costs one log line per analysis, for idle and busy alike; it shows when Motoko checks ran.
  client.settings = { trace: { server: 'verbose' } };
  try {
    await ready(client);
    const rs = client.open(files.rust);
    await diagnosticsFor(client, rs, 1);
    const mo = client.open(files.motoko);
    await diagnosticsFor(client, mo, 1, COLD_MS);

    // Each edit waits ~100 ms (delayMs in server/src/lsp/motoko/workspace.ts) before its check starts;
    // the figure includes that delay, since a user waits for it too.
    const moAt = client.text(mo).indexOf(FUNC) + FUNC.length;
    // The first edits after opening still warm the worker's JIT (the cold check is reported apart).
    for (let i = 0; i < 2; i++) await timedEdit(client, mo, moAt, '1');
    const motoko: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { start, end } = await timedEdit(client, mo, moAt, '1');
      motoko.push(end - start);
    }

    const text = client.text(rs);
    let rsAt = text.indexOf('{\n', text.indexOf('pub fn fee_tier_', Math.floor(text.length / 2))) + 2;
    const typed = 'let total = amount * 3 + 1; ';
    let typedCount = 0;
    const rustKey = () => timedEdit(client, rs, rsAt++, typed[typedCount++ % typed.length]);
    // Unmeasured keystrokes first, so neither phase pays for the JIT warming up.
    for (let i = 0; i < 20; i++) await rustKey();

    // Busy and idle blocks alternate, so drift over the run (heap growth, GC) falls on both alike.
    // A busy block types until a whole check is done, so keystrokes also meet its end, when the result
    // is analysed on the server's main thread; the idle block then types as many.
    const idle: number[] = [];
    const busy: Span[] = [];
    const checks: Span[] = [];
    let idleMotokoEvents = 0;
    for (let round = 0; round < 4; round++) {
      const pump = new MotokoPump(client, mo, moAt, 1);
      let typedBusy = 0;
      for (; !pump.done; typedBusy++) busy.push(await rustKey());
      await pump.finished;
      checks.push(...pump.checks);
      const from = client.events.length;
      for (let i = 0; i < typedBusy; i++) {
        const { start, end } = await rustKey();
        idle.push(end - start);
      }
      idleMotokoEvents += client.events
        .slice(from)
        .filter(
          (e) =>
            (e.method === 'textDocument/publishDiagnostics' && e.params.uri === mo) ||
            (e.method === 'window/logMessage' && CHECKED.test(String(e.params.message))),
        ).length;
    }
    // Only keystrokes whose wait overlapped a running check count as busy, not those in the delay before one.
    const overlapped = busy.filter((k) => checks.some((c) => k.start < c.end && k.end > c.start)).map((k) => k.end - k.start);
    return {
      motoko_check_p50_ms: ms(percentile(motoko, 50)),
      motoko_check_p95_ms: ms(percentile(motoko, 95)),
      rust_p95_idle_same_file_ms: ms(percentile(idle, 95)),
      rust_p95_while_motoko_busy_ms: ms(percentile(overlapped, 95)),
      rust_busy_evidence: `${overlapped.length}/${busy.length} keystrokes overlapped one of ${checks.length} Motoko checks; ${idleMotokoEvents} Motoko events while idle`,
    };
  } finally {
    await client.stop();
  }
}
