import * as path from 'node:path';
import type { MotokoActor } from '../motoko/model/model';
import { stableVariables } from '../motoko/model/signature';
import { jsonLocator, serializeLock } from './io';
import { LOCKFILE_NAME, LOCKFILE_VERSION, type MotokoLock, type MotokoLockedCanister, type MotokoLockedPersistence, type MotokoLockedVariable } from './types';

/** A Motoko lockfile as read from disk, with spans for diagnostics that point into it. */
export interface LoadedMotokoLock {
  file: string;
  text: string;
  lock: MotokoLock;
  locate(jsonPath: (string | number)[]): { start: number; end: number };
}

/** The lockfile of a Motoko canister: next to its main file, shared by the canisters of that folder. */
export function motokoLockPath(main: string): string {
  return path.join(path.dirname(main), LOCKFILE_NAME);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one canister entry, dropping what does not have the expected shape instead of trusting it. */
function readCanister(raw: unknown): MotokoLockedCanister | undefined {
  if (!isObject(raw) || !Array.isArray(raw.signature)) return undefined;
  const variables: Record<string, MotokoLockedVariable> = {};
  for (const [name, v] of Object.entries(isObject(raw.variables) ? raw.variables : {})) {
    if (!isObject(v) || typeof v.type !== 'string') continue;
    variables[name] = { kind: v.kind === 'let' ? 'let' : 'var', type: v.type, ...(typeof v.initializer === 'string' ? { initializer: v.initializer } : {}) };
  }
  const p = isObject(raw.persistence) ? raw.persistence : {};
  return {
    main: typeof raw.main === 'string' ? raw.main : '',
    persistence: {
      actor: p.actor === 'plain' ? 'plain' : 'persistent',
      flag: typeof p.flag === 'string' ? p.flag : '',
      migration: p.migration === 'function' || p.migration === 'enhanced' ? p.migration : 'none',
    },
    signature: raw.signature.filter((l): l is string => typeof l === 'string'),
    variables,
  };
}

/** Parses a Motoko lockfile; a broken or Rust one gives a clear message instead of a crash. */
export function parseMotokoLock(file: string, text: string): LoadedMotokoLock | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `${file}: the lockfile is not valid JSON (${(e as Error).message}); run \`stable-lens lock\` to write it again` };
  }
  if (isObject(raw) && raw.language !== 'motoko' && 'memoryIds' in raw)
    return { error: `${file}: the lockfile records a Rust crate, not Motoko canisters; keep the crate and the Motoko main file in separate folders` };
  if (!isObject(raw) || !isObject(raw.canisters)) return { error: `${file}: the lockfile has no canisters; run \`stable-lens lock\` to write it again` };
  const canisters: Record<string, MotokoLockedCanister> = {};
  for (const [name, entry] of Object.entries(raw.canisters)) {
    const read = readCanister(entry);
    if (read) canisters[name] = read;
  }
  return {
    file,
    text,
    lock: { version: typeof raw.version === 'number' ? raw.version : LOCKFILE_VERSION, language: 'motoko', canisters },
    locate: jsonLocator(text),
  };
}

const MODES = ['--default-persistent-actors', '--require-persistent-actors', '--legacy-actors'];

export function persistenceOf(actor: MotokoActor | undefined, flags: string[]): MotokoLockedPersistence {
  return {
    actor: actor?.persistent ? 'persistent' : 'plain',
    flag: flags.find((f) => MODES.includes(f)) ?? '--require-persistent-actors',
    migration: flags.includes('--enhanced-migration') ? 'enhanced' : actor?.migration ? 'function' : 'none',
  };
}

/** The `.most` text as lockfile lines: no carriage returns, no trailing blank lines. */
export function signatureLines(most: string): string[] {
  const lines = most.replace(/\r/g, '').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

export interface CanisterSnapshot {
  /** Absolute path of the main file. */
  main: string;
  /** The main file's actor, for initializers and persistence. */
  actor?: MotokoActor;
  /** The stable signature the compiler produced for it. */
  most: string;
  flags: string[];
}

/** What the lockfile records for one canister, built from its compiled signature and its actor. */
export function buildMotokoCanister(snapshot: CanisterSnapshot): MotokoLockedCanister {
  const variables: Record<string, MotokoLockedVariable> = {};
  for (const [name, v] of stableVariables(snapshot.most)) {
    const field = snapshot.actor?.fields.find((f) => f.names.length === 1 && f.names[0] === name && f.stability === 'stable');
    variables[name] = { kind: v.kind, type: v.type, ...(field?.initializer ? { initializer: field.initializer.text } : {}) };
  }
  return {
    main: path.basename(snapshot.main),
    persistence: persistenceOf(snapshot.actor, snapshot.flags),
    signature: signatureLines(snapshot.most),
    variables,
  };
}

/**
 * The lockfile text with `entries` recorded (a canister set to undefined is removed). Canisters
 * of the folder that are not mentioned keep their recorded entries.
 */
export function motokoLockText(old: MotokoLock | undefined, entries: Record<string, MotokoLockedCanister | undefined>): string {
  const canisters: Record<string, MotokoLockedCanister> = { ...(old?.canisters ?? {}) };
  for (const [name, entry] of Object.entries(entries)) {
    if (entry) canisters[name] = entry;
    else delete canisters[name];
  }
  return serializeLock({ version: LOCKFILE_VERSION, language: 'motoko', canisters });
}

/** The line of a variable in a recorded signature (`stable var x :` or `stable x :`), for related information. */
export function signatureLineOf(signature: string[], name: string): number | undefined {
  const wanted = name.replace(/[^A-Za-z0-9_]/g, '');
  // One fixed pattern reads each declared name: a recorded name may be longer than any pattern can be.
  const declared = /\bstable\s+(?:var\s+)?([A-Za-z0-9_]+)\s*:/g;
  // With a migration the new actor's record comes last, so the last mention is the one that holds.
  for (let i = signature.length - 1; i >= 0; i--) {
    for (const m of signature[i].matchAll(declared)) if (m[1] === wanted) return i;
  }
  return undefined;
}
