import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { CrateInfo } from './crate';
import { crateFromManifest, lockedVersions, markTestHelpers, readManifest, type Manifest } from './cargo';
import type { FileSystem } from '../../core/fileSystem';

export interface Discovery {
  crates: CrateInfo[];
  /** When files were named explicitly, only their findings are reported; their crates are still read whole. */
  onlyFiles?: Set<string>;
}

/**
 * The .rs files of a package's targets: everything under `src/`, and where `[lib] path` or a
 * `[[bin]] path` points elsewhere (`lib.rs` beside Cargo.toml), the files of that folder, without
 * the tests, benches and examples that cargo builds apart.
 */
function targetFiles(fs: FileSystem, man: Manifest, warn: (m: string) => void): string[] {
  const src = path.join(man.dir, 'src');
  const roots = new Set<string>(isDir(src) ? [src] : []);
  for (const p of [man.libPath, ...man.binPaths]) if (p && !p.startsWith(src + path.sep)) roots.add(path.dirname(p));
  const apart = ['tests', 'benches', 'examples'].map((d) => path.join(man.dir, d) + path.sep);
  const out = new Set<string>();
  for (const root of roots) {
    for (const f of fs.walk(root, warn)) if (f.endsWith('.rs') && !apart.some((a) => f.startsWith(a))) out.add(f);
  }
  return [...out].sort();
}

function findUp(start: string, name: string, fs: FileSystem): string | undefined {
  for (let dir = start; ;) {
    const candidate = path.join(dir, name);
    if (fs.exists(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDir(p: string): boolean {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Rust canister packages declared in a dfx.json: `"type": "rust"` canisters, by `package` or canister name. */
function dfxRustPackages(fs: FileSystem, file: string, warn: (msg: string) => void): string[] {
  const text = fs.readText(file, warn);
  if (text === undefined) return [];
  try {
    const doc = JSON.parse(text) as { canisters?: Record<string, { type?: string; package?: string }> };
    return Object.entries(doc.canisters ?? {})
      .filter(([, c]) => c && c.type === 'rust')
      .map(([name, c]) => c.package ?? name);
  } catch (e) {
    warn(`${file}: cannot read dfx.json (${(e as Error).message}); canisters are recognised from Cargo.toml alone`);
    return [];
  }
}

/** Finds every crate under the given paths (files or folders), with the .rs files of each. */
export function discoverCrates(fs: FileSystem, inputs: string[], warn: (msg: string) => void): Discovery {
  const manifests = new Set<string>();
  const looseFiles: string[] = [];
  const walked = new Set<string>();
  let onlyFiles: Set<string> | undefined;
  const rsFiles = new Set<string>();

  for (const input of inputs.map((p) => path.resolve(p))) {
    if (isDir(input)) {
      for (const f of fs.walk(input, warn)) {
        walked.add(f);
        if (path.basename(f) === 'Cargo.toml') manifests.add(f);
        else if (f.endsWith('.rs')) rsFiles.add(f);
      }
      const above = findUp(path.dirname(input), 'Cargo.toml', fs);
      if (above && !manifests.size) manifests.add(above);
    } else if (input.endsWith('.mo') && fs.exists(input)) {
      // A Motoko file: the Motoko discovery takes it.
      continue;
    } else if (fs.exists(input)) {
      onlyFiles ??= new Set();
      onlyFiles.add(input);
      rsFiles.add(input);
      const manifest = findUp(path.dirname(input), 'Cargo.toml', fs);
      if (manifest) manifests.add(manifest);
      else looseFiles.push(input);
    } else {
      throw new UsageError(`${input}: no such file or folder`);
    }
  }

  const parsed = new Map<string, Manifest>();
  for (const m of manifests) {
    const man = readManifest(fs, m, warn);
    if (man) parsed.set(m, man);
  }
  const crates: CrateInfo[] = [];
  const claimed = new Set<string>();
  const byDepth = [...parsed.values()].filter((m) => m.packageName || !m.isWorkspaceRoot).sort((a, b) => b.dir.length - a.dir.length);
  for (const man of byDepth) {
    const files = targetFiles(fs, man, warn).filter((f) => !claimed.has(f));
    files.forEach((f) => claimed.add(f));
    const wsManifestPath = findWorkspaceRoot(fs, man, warn);
    const wsManifest = wsManifestPath ? (parsed.get(wsManifestPath) ?? readManifest(fs, wsManifestPath, warn)) : undefined;
    const lockDir = wsManifest?.dir ?? man.dir;
    const locked = lockedVersions(fs, path.join(lockDir, 'Cargo.lock'), warn);
    const dfx = findUp(man.dir, 'dfx.json', fs);
    const dfxPackages = new Set(dfx ? dfxRustPackages(fs, dfx, warn) : []);
    crates.push(crateFromManifest(man, wsManifest, locked, dfxPackages, files, dfx ? path.dirname(dfx) : undefined));
  }
  for (const f of rsFiles) {
    if (!claimed.has(f) && !crates.some((c) => f.startsWith(c.root + path.sep))) looseFiles.push(f);
  }
  for (const f of new Set(looseFiles)) {
    crates.push({ name: path.basename(f, '.rs'), root: path.dirname(f), isCanister: true, files: [f] });
  }
  markTestHelpers(crates, [...parsed.values()]);
  crates.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : a.name.localeCompare(b.name)));
  return { crates: crates.filter((c) => c.files.length > 0), onlyFiles };
}

function findWorkspaceRoot(fs: FileSystem, man: Manifest, warn: (msg: string) => void): string | undefined {
  if (man.isWorkspaceRoot) return man.path;
  for (let dir = path.dirname(man.dir); ;) {
    const candidate = path.join(dir, 'Cargo.toml');
    if (fs.exists(candidate)) {
      const m = readManifest(fs, candidate, () => undefined);
      if (m?.isWorkspaceRoot) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export class UsageError extends Error {}
