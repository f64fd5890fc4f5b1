import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Logger } from '../server/src/lsp/log';
import { MotokoSignatures } from '../server/src/lsp/motoko/signatures';
import type { MotokoProject } from '../server/src/motoko/project/project';
import type { SignatureResult } from '../server/src/motoko/compiler/protocol';

const MAIN = '/p/main.mo';
const project: MotokoProject = { root: '/p', kind: 'loose', files: [MAIN, '/p/lib.mo'], canisters: [], mocArgs: [], dependencies: [] };
const quiet = new Logger({ error() {}, warn() {}, info() {}, log() {} });

/**
 * Signatures over a compiler that answers only when the test says so. Every compile and every
 * pause is recorded, and the test waits for them as events (never on a clock).
 */
function setup() {
  const compiles: { finish(): void }[] = [];
  const landed: SignatureResult[] = [];
  const paused: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const signatures = new MotokoSignatures({
    log: quiet,
    idleMs: 1,
    compile: (_p, file) =>
      new Promise<SignatureResult>((resolve) => {
        maxRunning = Math.max(maxRunning, ++running);
        compiles.push({ finish: () => (running--, resolve({ file, most: `v${compiles.length}`, ms: 0 })) });
        notify();
      }),
    compiled: (_p, _m, result) => landed.push(result),
    wanted: async (p) => (paused.push(p.root), notify(), [MAIN]),
  });
  /** Resolves once `ready()` holds, checked after every compile start and every pause. */
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => ready() && (listeners.delete(check), resolve());
      listeners.add(check);
      check();
    });
  return { signatures, compiles, landed, until, paused, maxRunning: () => maxRunning };
}

describe('Motoko signatures compiled while typing', () => {
  it('compiles once after a burst of edits, and nothing before the pause', { timeout: 10_000 }, async () => {
    const t = setup();
    for (let i = 0; i < 50; i++) t.signatures.edited(project);
    assert.equal(t.compiles.length, 0, 'no compile per keystroke');
    await t.until(() => t.compiles.length === 1);
    assert.equal(t.paused.length, 1);
    t.compiles[0].finish();
    const result = await t.signatures.get(project, MAIN);
    assert.equal(t.compiles.length, 1, 'the fresh signature is cached');
    assert.ok(t.signatures.current(MAIN, result));
    assert.deepEqual(t.landed, [result]);
  });

  it('runs one compile at a time, and one more afterwards for edits made meanwhile', { timeout: 10_000 }, async () => {
    const t = setup();
    t.signatures.edited(project);
    await t.until(() => t.compiles.length === 1);
    const first = t.signatures.get(project, MAIN);
    // Edits and pauses while the compile runs ask for one more compile, not one each.
    for (let pause = 2; pause <= 4; pause++) {
      t.signatures.edited(project);
      await t.until(() => t.paused.length === pause);
    }
    assert.equal(t.compiles.length, 1);
    t.compiles[0].finish();
    const outdated = await first;
    assert.equal(t.signatures.current(MAIN, outdated), false, 'a signature compiled across an edit is out of date');
    assert.equal(t.signatures.cached(MAIN), outdated, 'it still shows until the next one lands');
    await t.until(() => t.compiles.length === 2);
    t.compiles[1].finish();
    const fresh = await t.signatures.get(project, MAIN);
    assert.ok(t.signatures.current(MAIN, fresh));
    assert.equal(t.compiles.length, 2);
    assert.equal(t.maxRunning(), 1);
  });

  it('drops the pending pause on clear (the projects are found again)', { timeout: 10_000 }, async () => {
    const t = setup();
    t.signatures.edited(project);
    t.signatures.clear();
    t.signatures.edited({ ...project, root: '/q' });
    // Timers of one delay fire in order: a pause of /p left behind would come first.
    await t.until(() => t.paused.length === 1);
    assert.deepEqual(t.paused, ['/q']);
  });
});
