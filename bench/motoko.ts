/**
 * Motoko compiler figures: cold and warm checks in the bundled worker (dist/motokoWorker.js), with
 * and without mo:core, and the stable signature. Printed by bench/run.ts, never asserted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMotokoCompiler } from '../server/src/motoko/compiler/compiler';
import { ms, percentile } from './measure';

const FLAGS = ['--require-persistent-actors'];

/** A `persistent actor` of `records` record types and as many public functions: 2 × records + 3 lines. */
export function bigActor(records: number): string {
  const types = Array.from({ length: records }, (_, i) => `  type R${i} = { id : Nat; name : Text; tags : [Text]; kind : { #a; #b : Nat } };`);
  const funcs = Array.from({ length: records }, (_, i) => `  public func f${i}(r : R${i}) : async Nat { count += r.id; count };`);
  return ['persistent actor {', '  var count = 0;', ...types, ...funcs, '};', ''].join('\n');
}

const WITH_CORE = `import Map "mo:core/Map";
import Nat "mo:core/Nat";

persistent actor {
  let users = Map.empty<Nat, Text>();

  public func add(id : Nat, name : Text) : async () {
    Map.add(users, Nat.compare, id, name);
  };
};
`;

async function figures(dir: string, name: string, text: string, bundledCore: boolean): Promise<Record<string, number>> {
  const file = path.join(dir, `${name}.mo`);
  fs.writeFileSync(file, text);
  const compiler = createMotokoCompiler({ workerScript: path.join(__dirname, '..', 'dist', 'motokoWorker.js') });
  compiler.configure({ root: dir, files: [file], packages: [], bundledCore });
  try {
    let t = performance.now();
    await compiler.check(file, FLAGS);
    const cold = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) {
      compiler.update([{ path: file, text: `${text}\n// edit ${i}\n` }]);
      t = performance.now();
      await compiler.check(file, FLAGS);
      warm.push(performance.now() - t);
    }
    t = performance.now();
    await compiler.signature(file, FLAGS);
    const signature = performance.now() - t;
    return {
      [`motoko_${name}_cold_check_ms`]: ms(cold),
      [`motoko_${name}_warm_check_p50_ms`]: ms(percentile(warm, 50)),
      [`motoko_${name}_signature_ms`]: ms(signature),
      [`motoko_${name}_worker_heap_mb`]: Math.round(compiler.stats.heapUsed / 1048576),
    };
  } finally {
    await compiler.dispose();
  }
}

/** Cold check (worker start, compiler load, first type-check), warm checks after edits, and the .most. */
export async function motokoFigures(work: string): Promise<Record<string, number | string>> {
  const dir = path.join(work, 'motoko');
  fs.mkdirSync(dir, { recursive: true });
  return { ...(await figures(dir, 'core_map', WITH_CORE, true)), ...(await figures(dir, 'big_1000', bigActor(500), false)) };
}
