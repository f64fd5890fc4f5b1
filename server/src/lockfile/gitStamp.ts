import * as fs from 'node:fs';
import * as path from 'node:path';

interface GitDirs {
  /** The work tree's own folder (HEAD and its reflog) and the folder its refs live in. */
  own: string;
  common: string;
}

const dirsByRoot = new Map<string, GitDirs | null>();

/** The git folders of the work tree holding `root`, found by looking for `.git` upwards, without running git. */
function gitDirs(root: string): GitDirs | undefined {
  const cached = dirsByRoot.get(root);
  if (cached !== undefined) return cached ?? undefined;
  let found: GitDirs | undefined;
  for (let dir = path.resolve(root); !found; dir = path.dirname(dir)) {
    found = dotGit(path.join(dir, '.git'));
    if (path.dirname(dir) === dir) break;
  }
  dirsByRoot.set(root, found ?? null);
  return found;
}

/** A `.git` folder, or the `gitdir:` file of a linked work tree or submodule. */
function dotGit(file: string): GitDirs | undefined {
  try {
    if (fs.statSync(file).isDirectory()) return { own: file, common: file };
    const target = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1]?.trim();
    if (!target) return undefined;
    const own = path.resolve(path.dirname(file), target);
    let common = own;
    try {
      common = path.resolve(own, fs.readFileSync(path.join(own, 'commondir'), 'utf8').trim());
    } catch {
      // A submodule's folder holds its own refs.
    }
    return { own, common };
  } catch {
    return undefined;
  }
}

function mtime(file: string): string {
  try {
    return String(fs.statSync(file).mtimeMs);
  } catch {
    return '-';
  }
}

/**
 * A fingerprint of where a git ref may point, to know when a baseline read at that ref is out of
 * date: the modification times of HEAD, its reflog (every commit, checkout and reset appends to
 * it), the packed refs and the loose refs that could spell the ref. A handful of stats and no git
 * process, so an analysis on every keystroke can afford it. Empty outside a git work tree.
 */
export function gitRefStamp(root: string, ref: string): string {
  const dirs = gitDirs(root);
  if (!dirs) return '';
  // `main~2`, `HEAD^`, `v1.0^{commit}` and `@{upstream}` move with the ref they start from.
  const name = ref.split(/[~^@:]/)[0] || 'HEAD';
  const refs = ['', 'refs', 'refs/heads', 'refs/tags', 'refs/remotes'].map((dir) => path.join(dirs.common, dir, name));
  return [path.join(dirs.own, 'HEAD'), path.join(dirs.own, 'logs', 'HEAD'), path.join(dirs.common, 'packed-refs'), ...refs].map(mtime).join('|');
}
