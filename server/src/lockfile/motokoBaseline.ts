import { listDir, type FileSystem } from '../core/fileSystem';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { BaselineSpec } from '../core/config';
import { buildMotokoCanister, motokoLockPath, motokoLockText, parseMotokoLock, signatureLineOf, signatureLines, type LoadedMotokoLock } from './motoko';
import type { MotokoLockedCanister } from './types';
import { LineIndex } from '../core/text';
import type { MotokoCompiler } from '../motoko/compiler/api';
import type { MotokoCanister, MotokoProject } from '../motoko/project/project';
import { stableVariables } from '../motoko/model/signature';

type Span = { start: number; end: number };

/** What one Motoko canister must stay compatible with, and where findings about it point. */
export interface MotokoBaseline {
  kind: 'lockfile' | 'git' | 'dfx';
  /** For messages and hovers: `stable-layout.lock.json`, `git HEAD` or the `.most` file's name. */
  label: string;
  /** The file related information points into, and its text. */
  file: string;
  text: string;
  canister: string;
  entry: MotokoLockedCanister;
  /** Where a variable's recorded declaration is, in `file`. */
  locateVariable(name: string): Span;
  /** Where a variable's recorded initializer is, when one was recorded. */
  locateInitializer(name: string): Span | undefined;
  /** The lockfile itself, when it is the baseline: the record fix rewrites it. */
  lock?: LoadedMotokoLock;
}

type Warn = (message: string) => void;

function fromLock(loaded: LoadedMotokoLock, canister: string, kind: 'lockfile' | 'git', label: string): MotokoBaseline | undefined {
  const entry = loaded.lock.canisters[canister];
  if (!entry) return undefined;
  const at = (p: (string | number)[]) => loaded.locate(['canisters', canister, ...p]);
  return {
    kind,
    label,
    file: loaded.file,
    text: loaded.text,
    canister,
    entry,
    locateVariable: (name) => {
      const line = signatureLineOf(entry.signature, name);
      return line === undefined ? at([]) : at(['signature', line]);
    },
    locateInitializer: (name) => (entry.variables[name]?.initializer === undefined ? undefined : at(['variables', name, 'initializer'])),
    lock: kind === 'lockfile' ? loaded : undefined,
  };
}

/** The canister's entry in the lockfile next to its main file. */
export function lockfileBaseline(fs: FileSystem, main: string, canister: string, warn: Warn): MotokoBaseline | undefined {
  const file = motokoLockPath(main);
  if (!fs.exists(file)) return undefined;
  const text = fs.readText(file, warn);
  if (text === undefined) return undefined;
  const loaded = parseMotokoLock(file, text);
  if ('error' in loaded) {
    warn(loaded.error);
    return undefined;
  }
  return fromLock(loaded, canister, 'lockfile', path.basename(file));
}

/**
 * The `.most` a build left behind, in this order: mops.toml's `check-stable` path; dfx's last
 * built signature, then the one it fetched before its last upgrade (network `ic` first, then
 * `local`, then the others); `mops build` output.
 */
export function builtSignatureFiles(fs: FileSystem, project: MotokoProject, canister: MotokoCanister | { name: string; checkStable?: string }): string[] {
  const n = canister.name;
  const dfx = path.join(project.root, '.dfx');
  const networks = listDir(dfx);
  const order = (x: string) => (x === 'ic' ? 0 : x === 'local' ? 1 : 2);
  networks.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const candidates = [
    ...(canister.checkStable ? [canister.checkStable] : []),
    ...networks.flatMap((net) => [path.join(dfx, net, 'canisters', n, `${n}.most`), path.join(dfx, net, 'canisters', n, `${n}.old.most`)]),
    path.join(project.root, '.mops', '.build', `${n}.most`),
  ];
  return candidates.filter((f) => fs.exists(f));
}

/** A `.most` file as a baseline: no initializers are known, and findings point at its lines. */
export function mostBaseline(file: string, text: string, canister: string, main: string): MotokoBaseline {
  const signature = signatureLines(text);
  const variables = Object.fromEntries([...stableVariables(text)].map(([name, v]) => [name, { kind: v.kind, type: v.type }]));
  const lines = new LineIndex(text);
  const lineSpan = (line: number) => ({ start: lines.lineStart(line), end: lines.lineStart(line) + lines.lineText(line).length });
  return {
    kind: 'dfx',
    label: path.basename(file),
    file,
    text,
    canister,
    entry: { main: path.basename(main), persistence: { actor: 'persistent', flag: '', migration: 'none' }, signature, variables },
    locateVariable: (name) => lineSpan(signatureLineOf(signature, name) ?? 0),
    locateInitializer: () => undefined,
  };
}

function dfxBaseline(
  fs: FileSystem,
  project: MotokoProject,
  canister: MotokoCanister | { name: string },
  main: string,
  warn: Warn,
): MotokoBaseline | undefined {
  for (const file of builtSignatureFiles(fs, project, canister)) {
    const text = fs.readText(file, warn);
    if (text !== undefined && /^actor\b/m.test(text)) return mostBaseline(file, text, canister.name, main);
  }
  return undefined;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** The canister at a git revision, read with `git show` (no checkout) and compiled beside the current version. */
async function gitBaseline(
  project: MotokoProject,
  main: string,
  canister: string,
  ref: string,
  compiler: MotokoCompiler,
  flags: string[],
  warn: Warn,
): Promise<MotokoBaseline | undefined> {
  let names: string[];
  try {
    names = git(project.root, ['ls-tree', '-r', '--name-only', ref, '--', '.'])
      .split('\n')
      .filter((n) => n.endsWith('.mo') && !/(^|\/)\.(mops|vessel|dfx)\//.test(n));
  } catch (e) {
    warn(
      `${project.root}: cannot read git revision ${ref} (${
        String((e as { stderr?: string }).stderr ?? e)
          .trim()
          .split('\n')[0]
      }); no baseline for ${canister}`,
    );
    return undefined;
  }
  const files: { path: string; text: string }[] = [];
  for (const name of names) {
    try {
      files.push({ path: path.join(project.root, name), text: git(project.root, ['show', `${ref}:./${name}`]) });
    } catch {
      warn(`${path.join(project.root, name)}: cannot read it at ${ref}; the baseline goes without it`);
    }
  }
  if (!files.some((f) => f.path === main)) {
    warn(`${main}: the file is not in git revision ${ref}; no baseline for ${canister}`);
    return undefined;
  }
  const snapshot = await compiler.snapshot(main, files, flags);
  if (!snapshot.signature.most) {
    warn(
      `${main}: the version at ${ref} does not compile (${(snapshot.signature.error ?? 'no stable signature').split('\n')[0]}); no baseline for ${canister}`,
    );
    return undefined;
  }
  const entry = buildMotokoCanister({ main, actor: snapshot.model?.actors[0], most: snapshot.signature.most, flags });
  const loaded = parseMotokoLock(`${motokoLockPath(main)}@${ref}`, motokoLockText(undefined, { [canister]: entry }));
  return 'error' in loaded ? undefined : fromLock(loaded, canister, 'git', `git ${ref}`);
}

export interface BaselineRequest {
  fs: FileSystem;
  project: MotokoProject;
  canister: { name: string; main: string; checkStable?: string };
  spec: BaselineSpec;
  flags: string[];
  /** Needed for a git baseline only: the old version is compiled there. */
  compiler?: MotokoCompiler;
  warn: Warn;
}

/**
 * The baseline of one canister. `lockfile` (the default) falls back to the built signatures when the
 * canister has no lockfile entry yet; `dfx` reads only those; `git:REF` compiles the revision.
 */
export async function loadMotokoBaseline(req: BaselineRequest): Promise<MotokoBaseline | undefined> {
  const { fs, project, canister, spec, warn } = req;
  if (spec.kind === 'git') return req.compiler ? gitBaseline(project, canister.main, canister.name, spec.ref, req.compiler, req.flags, warn) : undefined;
  if (spec.kind === 'lockfile') {
    const locked = lockfileBaseline(fs, canister.main, canister.name, warn);
    if (locked) return locked;
  }
  return dfxBaseline(fs, project, canister, canister.main, warn);
}
