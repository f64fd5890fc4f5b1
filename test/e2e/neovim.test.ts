// A second real LSP client: Debian's Neovim 0.7 starts dist/server.js over stdio, opens a canister
// file and prints the diagnostics it was sent (test/e2e/neovim/diagnostics.lua).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES, NVIM, requireFiles, ROOT } from './lib/env';

const SERVER = path.join(ROOT, 'dist', 'server.js');
const SCRIPT = path.join(ROOT, 'test', 'e2e', 'neovim', 'diagnostics.lua');
const EXPECT = ['duplicate-memory-id', 'stable-structure-new-wipes-data', 'heap-state-lost-on-upgrade', 'missing-post-upgrade', 'memory-manager-conflict'];

interface Printed {
  event: string;
  complete?: boolean;
  line?: number;
  code?: string;
  source?: string;
  message?: string;
}

describe('Neovim 0.7 as an LSP client', () => {
  it('receives the Stable Lens diagnostics for a canister file over stdio', { timeout: 120_000 }, (t) => {
    requireFiles(NVIM, SERVER);
    const file = path.join(EXAMPLES, 'src', 'profiles', 'src', 'lib.rs');
    // The script only reads the examples: no copy needed.
    const run = spawnSync(NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${SCRIPT}`], {
      cwd: EXAMPLES,
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, STABLE_LENS_SERVER: SERVER, STABLE_LENS_ROOT: EXAMPLES, STABLE_LENS_FILE: file, STABLE_LENS_EXPECT: EXPECT.join(',') },
    });
    const lines: Printed[] = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const diagnostics = lines.filter((l) => l.event === 'diagnostic');
    for (const d of diagnostics) t.diagnostic(`${d.line} ${d.code}: ${d.message}`);
    assert.equal(run.status, 0, `nvim exited ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.equal(lines.find((l) => l.event === 'summary')?.complete, true);
    assert.deepEqual([...new Set(diagnostics.map((d) => d.code))].filter((c) => EXPECT.includes(c!)).sort(), [...EXPECT].sort());
    assert.ok(diagnostics.every((d) => d.source === 'stable-lens'));
    const dup = diagnostics.find((d) => d.code === 'duplicate-memory-id');
    assert.equal(dup?.line, 17);
    assert.match(dup?.message ?? '', /MemoryId 0 already feeds StableBTreeMap `PROFILES`/);
  });
});
