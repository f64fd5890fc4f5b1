import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { motokoLockText, parseMotokoLock } from '../server/src/lockfile/motoko';
import type { MotokoLockedCanister } from '../server/src/lockfile/types';
import { readDisk, writeMotokoLocks } from '../server/src/lockfile/write';

const entry = (main: string, type: string): MotokoLockedCanister => ({
  main,
  persistence: { actor: 'persistent', flag: '', migration: 'none' },
  signature: ['actor {', `  stable var count : ${type}`, '};'],
  variables: { count: { kind: 'var', type } },
});

describe('the lockfile writer of stable-lens lock and Record Stable Layout', () => {
  it('replaces what is recorded now, keeps canisters not analysed or not compiling, and drops only canisters the project no longer defines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-writer-'));
    const file = path.join(dir, 'stable-layout.lock.json');
    const old = { a: entry('a.mo', 'Nat'), b: entry('b.mo', 'Nat'), c: entry('c.mo', 'Nat'), gone: entry('gone.mo', 'Nat') };
    fs.writeFileSync(file, motokoLockText(undefined, old));
    const main = (n: string) => path.join(dir, `${n}.mo`);
    const warnings: string[] = [];
    const project = {
      canisters: [
        { name: 'a', main: main('a'), entry: entry('a.mo', 'Int') },
        { name: 'b', main: main('b') },
        { name: 'c', main: main('c'), failed: 'it does not compile' },
      ],
      defines: (name: string) => name !== 'gone',
    };
    const outcomes = writeMotokoLocks([project], { check: false, readText: readDisk, warn: (m) => warnings.push(m) });
    assert.deepEqual(
      outcomes.map((o) => [path.basename(o.file), o.state]),
      [
        ['c.mo', 'failed'],
        ['stable-layout.lock.json', 'written'],
      ],
    );
    assert.match(warnings.join('\n'), /cannot record canister c: it does not compile/);
    const lock = parseMotokoLock(file, fs.readFileSync(file, 'utf8'));
    assert.ok(!('error' in lock));
    assert.deepEqual(Object.keys(lock.lock.canisters).sort(), ['a', 'b', 'c']);
    assert.equal(lock.lock.canisters.a.variables.count.type, 'Int');
    assert.equal(lock.lock.canisters.b.variables.count.type, 'Nat');
    // Nothing left to change: --check agrees and nothing is written.
    assert.deepEqual(
      writeMotokoLocks([project], { check: true, readText: readDisk, warn: () => undefined }).map((o) => o.state),
      ['failed', 'unchanged'],
    );
  });
});
