import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffMotokoCanisters, diffRustLocks, formatBound } from '../server/src/cli/reportDiff';
import type { MotokoLockedCanister, RustLock } from '../server/src/lockfile/types';

const type = (t: string) => ({ written: t, normalized: t });

function rust(over: Partial<RustLock>): RustLock {
  return { version: 1, language: 'rust', canister: 'c', memoryIds: {}, retiredMemoryIds: [], storables: {}, ...over };
}

function motoko(over: Partial<MotokoLockedCanister>): MotokoLockedCanister {
  return {
    main: 'main.mo',
    persistence: { actor: 'persistent', flag: '--require-persistent-actors', migration: 'none' },
    signature: [],
    variables: {},
    ...over,
  };
}

// The kinds the report fixtures under test/fixtures/report/ cannot show, and the cases each kind must not report.
describe('the upgrade report compares two lockfiles', () => {
  it('calls a retired id that holds a structure again reassigned, and reports a new bucket size', () => {
    const map = { name: 'USERS', kind: 'StableBTreeMap', constructor: 'init', key: type('u64'), value: type('u64') };
    const old = rust({ retiredMemoryIds: [3], memoryManager: { bucketSize: 128 } });
    const cur = rust({ memoryIds: { 3: map }, memoryManager: { bucketSize: 64 } });
    assert.deepEqual(diffRustLocks(old, cur), [
      { kind: 'memory-id-reassigned', subject: 'MemoryId 3', before: 'retired', after: 'StableBTreeMap USERS' },
      { kind: 'memory-manager-changed', subject: 'MemoryManager bucket size', before: '128', after: '64' },
    ]);
  });

  it('reports nothing for an identical layout, a written type that normalises the same, or a type stored only now', () => {
    const entry = (written: string) => ({ name: 'M', kind: 'StableBTreeMap', constructor: 'init', key: { written, normalized: 'u64' } });
    const storable = { bound: { kind: 'unbounded' as const }, encoder: 'cbor', fields: [] };
    assert.deepEqual(diffRustLocks(rust({ memoryIds: { 0: entry('u64') } }), rust({ memoryIds: { 0: entry('Id') }, storables: { Fresh: storable } })), []);
  });

  it('reports a persistence change, but not against a .most that records none, and no ignored initializer under a migration', () => {
    const v = { kind: 'var' as const, type: 'Nat', initializer: '0' };
    const old = motoko({ variables: { n: v } });
    const migrated = motoko({ variables: { n: { ...v, initializer: '1' } }, persistence: { ...old.persistence, migration: 'function' } });
    assert.deepEqual(diffMotokoCanisters(old, migrated), [
      {
        kind: 'persistence-changed',
        subject: 'persistence',
        before: 'persistent actor, --require-persistent-actors',
        after: 'persistent actor, --require-persistent-actors, function migration',
      },
    ]);
    const most = motoko({ variables: { n: { kind: 'var', type: 'Nat' } }, persistence: { actor: 'persistent', flag: '', migration: 'none' } });
    assert.deepEqual(
      diffMotokoCanisters(most, motoko({ variables: { n: v }, persistence: { actor: 'plain', flag: '--legacy-actors', migration: 'none' } })),
      [],
    );
  });

  it('writes bounds as the memory map does', () => {
    assert.equal(formatBound({ kind: 'bounded', maxSize: 32, fixed: true }), 'Bounded, fixed 32 B');
    assert.equal(formatBound({ kind: 'bounded', maxSize: null, fixed: null }), 'Bounded ≤ ? B');
    assert.equal(formatBound({ kind: 'unknown' }), 'unknown bound');
  });
});
