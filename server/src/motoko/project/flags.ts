import * as path from 'node:path';
import type { PersistenceMode } from '../model/model';

/** The persistence modes; exactly one is always passed, so switching modes resets the previous one. */
const MODES = ['--default-persistent-actors', '--require-persistent-actors', '--legacy-actors'];

/** Flags the packaged compiler accepts through `setExtraFlags`, and whether each takes a value. */
const ACCEPTED: Record<string, boolean> = {
  '--hide-warnings': false,
  '-Werror': false,
  '-A': true,
  '-W': true,
  '-E': true,
  '--error-detail': true,
  '--error-recovery': false,
  '--all-libs': false,
  '--implicit-package': true,
  '--implicit-derivation-depth': true,
  '--enhanced-migration': true,
  '--default-persistent-actors': false,
  '--require-persistent-actors': false,
  '--legacy-actors': false,
};

export interface Flags {
  /** The full set for `setExtraFlags`, with exactly one persistence mode. */
  args: string[];
  /** Flags of the project that this compiler cannot take (build-only flags like `--release`). */
  ignored: string[];
}

/** The flags this compiler takes out of a build command's words, with their values; files, `-o` and the like are left out. */
export function compilerFlags(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const eq = words[i].indexOf('=');
    const name = words[i].startsWith('-') && eq > 0 ? words[i].slice(0, eq) : words[i];
    const takesValue = ACCEPTED[name];
    if (takesValue === undefined) continue;
    if (takesValue && eq < 0 && i + 1 < words.length) out.push(words[i], words[++i]);
    else out.push(words[i]);
  }
  return out;
}

/** Splits a dfx.json `args` string on whitespace, keeping quoted parts together. */
export function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * Turns project arguments into the full flag set: unknown flags are dropped (the compiler throws on
 * them), `--enhanced-migration` gets an absolute folder, and the default mode is added when none is set;
 * `forcedMode` replaces the project's mode (a toolchain that predates the mode flags).
 */
export function normalizeFlags(raw: string[], root: string, forcedMode?: string): Flags {
  const args: string[] = [];
  const ignored: string[] = [];
  let mode = '--require-persistent-actors';
  for (let i = 0; i < raw.length; i++) {
    const arg = raw[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('-') && eq > 0 ? arg.slice(0, eq) : arg;
    const takesValue = ACCEPTED[name];
    if (takesValue === undefined) {
      ignored.push(arg);
      continue;
    }
    if (MODES.includes(name)) {
      mode = name;
      continue;
    }
    if (!takesValue) {
      args.push(name);
      continue;
    }
    let value = eq > 0 && name !== arg ? arg.slice(eq + 1) : raw[++i];
    if (value === undefined) {
      ignored.push(arg);
      continue;
    }
    if (name === '--enhanced-migration') value = path.resolve(root, value);
    args.push(name, value);
  }
  // An older compiler has no mode flags: its classic semantics replace whatever the project passes.
  return { args: [forcedMode ?? mode, ...args], ignored };
}

/** What `setExtraFlags` cannot undo: a compiler that applied a different set must be recreated. */
export function stickyKey(flags: string[]): string {
  return flags.filter((f) => !MODES.includes(f)).join('\u0000');
}

export function persistenceMode(flags: string[]): PersistenceMode {
  return { defaultPersistent: flags.includes('--default-persistent-actors'), legacy: flags.includes('--legacy-actors') };
}

export const DEFAULT_FLAGS = ['--require-persistent-actors'];
