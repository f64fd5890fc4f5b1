import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { CanisterModel } from '../rust/model/canister';
import { buildRustLock } from './build';
import { lockfilePath, parseLock, serializeLock, writeFileAtomic } from './io';
import type { SignatureResult } from '../motoko/compiler/protocol';
import type { MotokoActor } from '../motoko/model/model';
import { flagsFor, type MotokoProject } from '../motoko/project/project';
import { buildMotokoCanister, motokoLockPath, motokoLockText, parseMotokoLock } from './motoko';
import type { MotokoLockedCanister } from './types';

export interface LockOutcome {
  file: string;
  /** `failed`: a Motoko canister that does not compile, so nothing could be recorded (`file` is its main file). */
  state: 'written' | 'unchanged' | 'stale' | 'missing' | 'failed';
}

/** How `stable-lens lock` and the editor's Record Stable Layout command write: they differ only in these. */
export interface LockWriter {
  /** Only compare (`stable-lens lock --check`): nothing is written. */
  check: boolean;
  /** A file's current text (an open buffer's in the editor), undefined when there is none. */
  readText(file: string): string | undefined;
  warn(message: string): void;
}

export function readDisk(file: string): string | undefined {
  return nodeFs.existsSync(file) ? nodeFs.readFileSync(file, 'utf8') : undefined;
}

/** Writes `text` unless the file holds it already; with `check`, only says whether it would change. */
function settle(file: string, oldText: string | undefined, text: string, writer: LockWriter): LockOutcome {
  if (text === oldText) return { file, state: 'unchanged' };
  if (writer.check) return { file, state: oldText === undefined ? 'missing' : 'stale' };
  writeFileAtomic(file, text);
  return { file, state: 'written' };
}

/** A Rust crate to record: its root and model; crates that use no stable structures are skipped. */
export interface RustLockInput {
  root: string;
  manifest?: string;
  model: CanisterModel;
}

/** Writes each canister crate's lockfile, carrying the retired ids of the recorded one forward. */
export function writeRustLocks(crates: readonly RustLockInput[], writer: LockWriter): LockOutcome[] {
  const out: LockOutcome[] = [];
  for (const crate of crates) {
    if (!crate.manifest || !crate.model.usesStableStructures) continue;
    const file = lockfilePath(crate.root);
    const oldText = writer.readText(file);
    const old = oldText === undefined ? undefined : parseLock(file, oldText);
    if (old && 'error' in old) writer.warn(`${old.error}; it is replaced`);
    out.push(settle(file, oldText, serializeLock(buildRustLock(crate.model, old && !('error' in old) ? old.lock : undefined)), writer));
  }
  return out;
}

/** One Motoko canister as this run found it. */
export interface MotokoLockInput {
  name: string;
  main: string;
  /** What to record now; absent when the canister was not analysed, or could not be recorded (then `failed` says why). */
  entry?: MotokoLockedCanister;
  failed?: string;
}

/** What to record of a canister whose main file was analysed: its entry, or why there is none. */
export function motokoLockInput(
  project: MotokoProject,
  name: string,
  main: string,
  actor: MotokoActor | undefined,
  signature: SignatureResult | undefined,
): MotokoLockInput {
  if (!actor) return { name, main, failed: 'its main file has no actor' };
  if (!signature?.most) return { name, main, failed: `it does not compile (${(signature?.error ?? 'no stable signature').split('\n')[0]})` };
  return { name, main, entry: buildMotokoCanister({ main, actor, most: signature.most, flags: flagsFor(project, main).args }) };
}

/** The canisters of one Motoko project, and whether a recorded canister still exists. */
export interface MotokoLockProject {
  canisters: MotokoLockInput[];
  /**
   * True while the project still defines the canister a lockfile records under `name`, with its
   * main file at the absolute path `main`: only a canister that is gone leaves the lockfile.
   */
  defines(name: string, main: string): boolean;
}

/**
 * Writes the lockfile next to each Motoko canister's main file. A canister recorded now replaces
 * its entry; one that was not analysed or did not compile keeps what was recorded; one that the
 * project no longer defines leaves the file.
 */
export function writeMotokoLocks(projects: readonly MotokoLockProject[], writer: LockWriter): LockOutcome[] {
  const outcomes: LockOutcome[] = [];
  const byFile = new Map<string, { project: MotokoLockProject; entries: Record<string, MotokoLockedCanister> }>();
  for (const project of projects) {
    for (const c of project.canisters) {
      const file = motokoLockPath(c.main);
      const planned = byFile.get(file) ?? { project, entries: {} };
      byFile.set(file, planned);
      if (c.entry) planned.entries[c.name] = c.entry;
      else if (c.failed) {
        writer.warn(`${c.main}: cannot record canister ${c.name}: ${c.failed}`);
        outcomes.push({ file: c.main, state: 'failed' });
      }
    }
  }
  for (const [file, { project, entries }] of byFile) {
    const oldText = writer.readText(file);
    const old = oldText === undefined ? undefined : parseMotokoLock(file, oldText);
    if (old && 'error' in old) writer.warn(`${old.error}; it is replaced`);
    const recorded = old && !('error' in old) ? old.lock : undefined;
    const gone = Object.entries(recorded?.canisters ?? {}).filter(
      ([name, e]) => !entries[name] && !project.defines(name, path.resolve(path.dirname(file), e.main)),
    );
    if (Object.keys(entries).length === 0 && gone.length === 0) continue;
    outcomes.push(settle(file, oldText, motokoLockText(recorded, { ...entries, ...Object.fromEntries(gone.map(([name]) => [name, undefined])) }), writer));
  }
  return outcomes;
}
