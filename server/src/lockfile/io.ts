import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { LOCKFILE_NAME, type Lock, type MotokoLock } from './types';

/** JSON with keys sorted (numbers numerically), two-space indent and a trailing newline: diff-friendly. */
export function serializeLock(lock: Lock | MotokoLock): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const keys = Object.keys(v).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      return Object.fromEntries(keys.map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sortKeys(lock), null, 2) + '\n';
}

export interface LoadedLock {
  file: string;
  text: string;
  lock: Lock;
  /** The text span of a value in the lockfile, for diagnostics that point into it. */
  locate(jsonPath: (string | number)[]): { start: number; end: number };
}

export function lockfilePath(crateRoot: string): string {
  return path.join(crateRoot, LOCKFILE_NAME);
}

/** Parses a lockfile's text; a broken one gives a clear message instead of a crash. */
export function parseLock(file: string, text: string): LoadedLock | { error: string } {
  let lock: Lock;
  try {
    lock = JSON.parse(text) as Lock;
  } catch (e) {
    return { error: `${file}: the lockfile is not valid JSON (${(e as Error).message}); run \`stable-lens lock\` to write it again` };
  }
  if ((lock as { language?: unknown } | null)?.language === 'motoko') {
    return { error: `${file}: the lockfile records Motoko canisters, not this crate; keep the crate and the Motoko main file in separate folders` };
  }
  if (!lock || typeof lock !== 'object' || typeof lock.memoryIds !== 'object' || lock.memoryIds === null) {
    return { error: `${file}: the lockfile has no memoryIds; run \`stable-lens lock\` to write it again` };
  }
  lock.retiredMemoryIds = Array.isArray(lock.retiredMemoryIds) ? lock.retiredMemoryIds : [];
  lock.storables ??= {};
  return { file, text, lock, locate: jsonLocator(text) };
}

/** Finds the text span of a value in a JSON text, parsed on first use. */
export function jsonLocator(text: string): (jsonPath: (string | number)[]) => { start: number; end: number } {
  let tree: JsonNode | undefined;
  return (jsonPath) => {
    tree ??= parseTree(text);
    const node = tree ? (findNodeAtLocation(tree, jsonPath) ?? undefined) : undefined;
    // Point at the property's key when there is one, so the span reads as the entry's name.
    const target = node?.parent?.type === 'property' ? node.parent.children?.[0] : node;
    return target ? { start: target.offset, end: target.offset + target.length } : { start: 0, end: 1 };
  };
}

export interface WriteHooks {
  /** Called between writing the temporary file and renaming it: tests use it to simulate a crash. */
  beforeRename?(tmp: string): void;
}

/** Replaces a file atomically: the text goes to a temporary file in the same folder, which is renamed over it. */
export function writeFileAtomic(file: string, text: string, hooks: WriteHooks = {}): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = nodeFs.openSync(tmp, 'w');
  try {
    nodeFs.writeSync(fd, text);
    nodeFs.fsyncSync(fd);
  } finally {
    nodeFs.closeSync(fd);
  }
  try {
    hooks.beforeRename?.(tmp);
    nodeFs.renameSync(tmp, file);
  } catch (e) {
    nodeFs.rmSync(tmp, { force: true });
    throw e;
  }
}
