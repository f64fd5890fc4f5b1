import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePaths } from '../server/src/check/rustProject';
import { initRustParser, parseRust } from '../server/src/rust/syntax/treeSitter';
import { ms, time } from './measure';

function rustFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.rs'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Cold index of a workspace against the raw tree-sitter parse of the same files, best of `runs`. */
export async function indexFigures(dir: string, runs = 3): Promise<{ indexMs: number; parseMs: number; ratio: number }> {
  await initRustParser();
  const files = rustFiles(dir);
  let parseMs = Infinity;
  let indexMs = Infinity;
  for (let i = 0; i < runs; i++) {
    const [, p] = time(() => files.forEach((f) => parseRust(fs.readFileSync(f, 'utf8')).delete()));
    const [, a] = time(() => analyzePaths([dir], { config: { rules: {} }, warn: () => undefined, fixes: false }));
    parseMs = Math.min(parseMs, p);
    indexMs = Math.min(indexMs, a);
  }
  return { indexMs: ms(indexMs), parseMs: ms(parseMs), ratio: Math.round((indexMs / parseMs) * 100) / 100 };
}

/** `stable-lens check` wall time against `grep -r` for the same tokens over the same files (the I/O floor). */
export function checkVsGrep(dir: string, cli: string, runs = 3): { checkMs: number; grepMs: number; ratio: number } {
  let checkMs = Infinity;
  let grepMs = Infinity;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    spawnSync(process.execPath, [cli, 'check', dir, '--format', 'json'], { stdio: 'ignore' });
    checkMs = Math.min(checkMs, performance.now() - t);
    t = performance.now();
    spawnSync('grep', ['-rlE', '--include=*.rs', 'thread_local|Storable|MemoryId|upgrade|static', dir], { stdio: 'ignore' });
    grepMs = Math.min(grepMs, performance.now() - t);
  }
  return { checkMs: ms(checkMs), grepMs: ms(grepMs), ratio: Math.round((checkMs / grepMs) * 10) / 10 };
}
