import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files larger than this are skipped with a warning: no canister source is that big. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** An editor buffer past the limit of files on disk is not analysed either: each keystroke would parse it whole. */
export function oversizedBuffer(file: string, text: string, warn: (msg: string) => void): boolean {
  if (text.length <= MAX_FILE_BYTES) return false;
  warn(`${file}: skipped, the open buffer is larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
  return true;
}

/** Folders no discovery descends into: build output, package caches, tools' own state. */
export const SKIPPED_DIRS = new Set(['target', 'node_modules', '.git', '.dfx', '.mops', '.vessel', '.azle', '.vscode-test']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The file access the analyzer uses. Reads never throw: a file that cannot be read as UTF-8 text
 * gets one warning and is treated as absent. The language server overlays open documents on top.
 */
export class FileSystem {
  private readonly overlay = new Map<string, string>();

  setOverlay(file: string, text: string | undefined): void {
    if (text === undefined) this.overlay.delete(file);
    else this.overlay.set(file, text);
  }

  exists(file: string): boolean {
    if (this.overlay.has(file)) return true;
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  readText(file: string, warn: (msg: string) => void): string | undefined {
    const open = this.overlay.get(file);
    if (open !== undefined) return oversizedBuffer(file, open, warn) ? undefined : open;
    let bytes: Buffer;
    try {
      const stat = fs.statSync(file);
      if (stat.size > MAX_FILE_BYTES) {
        warn(`${file}: skipped, ${(stat.size / 1024 / 1024).toFixed(1)} MB is larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
        return undefined;
      }
      bytes = fs.readFileSync(file);
    } catch (e) {
      warn(`${file}: skipped, cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
    return decodeText(file, bytes, warn);
  }

  /** Lists the Rust and Motoko sources, manifests and dfx.json files below `root`, skipping build output and unreadable folders. */
  walk(root: string, warn: (msg: string) => void): string[] {
    const out: string[] = [];
    const visit = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        warn(`${dir}: skipped, cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) visit(full);
        } else if (entry.isFile() && isInteresting(entry.name)) {
          out.push(full);
        }
      }
    };
    visit(root);
    return out;
  }
}

function isInteresting(name: string): boolean {
  return name.endsWith('.rs') || name === 'Cargo.toml' || name === 'Cargo.lock' || name === 'dfx.json' || isMotokoLayout(name);
}

/** Motoko sources and the manifests that make a folder a Motoko project. */
export function isMotokoLayout(name: string): boolean {
  return name.endsWith('.mo') || name === 'mops.toml' || name === 'vessel.dhall';
}

/** Decodes UTF-8 text, refusing binary files (a NUL byte) and invalid UTF-8 with a clear warning. */
export function decodeText(file: string, bytes: Uint8Array, warn: (msg: string) => void): string | undefined {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    warn(`${file}: skipped, it looks like a binary file`);
    return undefined;
  }
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    warn(`${file}: skipped, it is not valid UTF-8`);
    return undefined;
  }
}

/** The names in a folder, or none when it cannot be read (gone, or not a folder). */
export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** True when `file` is `dir` or lies below it. */
export function within(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
