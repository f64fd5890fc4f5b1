import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { buildCrateModel } from '../rust/model/build';
import { sourceFile, type SourceFile } from '../rust/model/sourceFile';
import type { BaselineSpec } from '../core/config';
import type { FileSystem } from '../core/fileSystem';
import type { CrateInfo } from '../rust/project/crate';
import { buildRustLock } from './build';
import { gitRefStamp } from './gitStamp';
import { lockfilePath, parseLock, serializeLock, type LoadedLock } from './io';

/**
 * What must stay the same for a loaded baseline to be current: where a git baseline's ref points.
 * Lockfiles are watched as files instead, so theirs is empty.
 */
export function baselineStamp(root: string, spec: BaselineSpec): string {
  return spec.kind === 'git' ? gitRefStamp(root, spec.ref) : '';
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** The crate's layout at a git revision, read with `git show` (no checkout), as if it were a lockfile. */
function gitBaseline(crate: CrateInfo, ref: string, warn: (m: string) => void): LoadedLock | undefined {
  let names: string[];
  try {
    names = git(crate.root, ['ls-tree', '-r', '--name-only', ref, '--', 'src'])
      .split('\n')
      .filter((n) => n.endsWith('.rs'));
  } catch (e) {
    warn(
      `${crate.root}: cannot read git revision ${ref} (${
        String((e as { stderr?: string }).stderr ?? e)
          .trim()
          .split('\n')[0]
      }); no baseline for ${crate.name}`,
    );
    return undefined;
  }
  const files: SourceFile[] = [];
  for (const name of names) {
    const file = path.join(crate.root, name);
    try {
      files.push(sourceFile(file, git(crate.root, ['show', `${ref}:./${name}`])));
    } catch {
      warn(`${file}: cannot read it at ${ref}; the baseline goes without it`);
    }
  }
  const model = buildCrateModel({ ...crate, files: files.map((f) => f.path) }, files).model;
  const text = serializeLock(buildRustLock(model));
  const loaded = parseLock(`${lockfilePath(crate.root)}@${ref}`, text);
  return 'error' in loaded ? undefined : loaded;
}

/** Loads the baseline of one crate; a missing lockfile means no baseline, a broken one a warning. */
export function loadBaseline(crate: CrateInfo, fs: FileSystem, spec: BaselineSpec, warn: (m: string) => void): LoadedLock | undefined {
  if (spec.kind === 'git') return gitBaseline(crate, spec.ref, warn);
  const file = lockfilePath(crate.root);
  if (!crate.manifest || !fs.exists(file)) return undefined;
  const text = fs.readText(file, warn);
  if (text === undefined) return undefined;
  const loaded = parseLock(file, text);
  if ('error' in loaded) {
    warn(loaded.error);
    return undefined;
  }
  return loaded;
}
