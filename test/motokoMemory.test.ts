import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { createMotokoCompiler } from '../server/src/motoko/compiler/compiler';
import { ensureBuilt, ROOT } from './lsp/client';

const FLAGS = ['--require-persistent-actors'];

/** An actor of 30 functions over 30 imported record types: each check does real type-checking. */
function program(edit: number): string {
  const funcs = Array.from({ length: 30 }, (_, i) => `  public func f${i}(r : T.R${i}) : async Nat { count += r.id + ${edit}; count };`).join('\n');
  return `import T "Types";\n// edit ${edit}\npersistent actor {\n  var count = 0;\n${funcs}\n};\n`;
}

describe('the Motoko compiler worker over a long session', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-mem-')));
    const types = Array.from({ length: 30 }, (_, i) => `  public type R${i} = { id : Nat; name : Text; tags : [Text]; next : ?R${i} };`).join('\n');
    fs.writeFileSync(path.join(dir, 'Types.mo'), `module {\n${types}\n};\n`);
    fs.writeFileSync(path.join(dir, 'main.mo'), program(0));
  });

  it('keeps memory flat over 100 checks: the worker is recycled and the server thread holds nothing', async () => {
    const main = path.join(dir, 'main.mo');
    const compiler = createMotokoCompiler({ workerScript: path.join(ROOT, 'dist', 'motokoWorker.js'), maxJobs: 40 });
    compiler.configure({ root: dir, files: [main, path.join(dir, 'Types.mo')], packages: [], bundledCore: false });
    const heaps: number[] = [];
    const times: number[] = [];
    global.gc?.();
    const serverHeapBefore = process.memoryUsage().heapUsed;
    try {
      for (let i = 0; i < 100; i++) {
        compiler.update([{ path: main, text: program(i) }]);
        const result = await compiler.check(main, FLAGS);
        assert.ok(result?.compiled, result?.failure);
        assert.deepEqual(
          result.diagnostics.map((d) => d.code),
          [],
          `check ${i}`,
        );
        heaps.push(compiler.stats.heapUsed);
        times.push(result.ms);
      }
    } finally {
      await compiler.dispose();
    }
    assert.equal(compiler.stats.checks, 100);
    assert.ok(compiler.stats.starts >= 3, `the worker was recycled (${compiler.stats.starts} starts)`);
    const mib = (n: number) => Math.round(n / 1048576);
    const early = Math.max(...heaps.slice(5, 35));
    const late = Math.max(...heaps.slice(70));
    assert.ok(late <= early * 1.5 + 32 * 1048576, `worker heap stays flat: ${mib(early)} MiB early, ${mib(late)} MiB late`);
    const growth = process.memoryUsage().heapUsed - serverHeapBefore;
    assert.ok(growth < 64 * 1048576, `the calling thread grew by ${mib(growth)} MiB`);
    const warm = times.filter((_, i) => i % 40 !== 0).sort((a, b) => a - b);
    assert.ok(warm[Math.floor(warm.length / 2)] < 250, `warm checks take a few ms (median ${warm[Math.floor(warm.length / 2)]} ms)`);
  });

  it('runs the compiler at a lower priority than the thread it serves (Linux, where threads have their own nice value)', async () => {
    const main = path.join(dir, 'main.mo');
    const compiler = createMotokoCompiler({ workerScript: path.join(ROOT, 'dist', 'motokoWorker.js') });
    compiler.configure({ root: dir, files: [main, path.join(dir, 'Types.mo')], packages: [], bundledCore: false });
    try {
      assert.ok((await compiler.check(main, FLAGS))?.compiled);
      // Field 19 of /proc/<pid>/task/<tid>/stat is the nice value; the command may hold spaces, so fields count from its `)`.
      const nice = (tid: string) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
      const threads = fs.readdirSync('/proc/self/task').map((tid) => ({ tid, nice: nice(tid) }));
      assert.equal(nice(String(process.pid)), 0, 'the calling thread keeps the normal priority');
      assert.ok(
        threads.some((t) => t.nice === 10),
        `one thread, the compiler's, is reniced: ${JSON.stringify(threads)}`,
      );
    } finally {
      await compiler.dispose();
    }
  });
});
