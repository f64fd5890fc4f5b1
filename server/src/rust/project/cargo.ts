import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { LATEST_STABLE_STRUCTURES, parseVersion, type CrateInfo, type LibVersion } from './crate';
import type { FileSystem } from '../../core/fileSystem';

const STABLE_STRUCTURES = 'ic-stable-structures';
const STABLE_MEMORY = 'ic-stable-memory';

type Table = Record<string, unknown>;

function asTable(v: unknown): Table | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : undefined;
}

export interface Manifest {
  path: string;
  dir: string;
  packageName?: string;
  crateTypes: string[];
  /** `[lib] path`, absolute, when the manifest sets it. */
  libPath?: string;
  /** Each `[[bin]] path`, absolute: every binary is a process of its own. */
  binPaths: string[];
  deps: Table;
  /** The names under `[dependencies]` and `[build-dependencies]`: what the built crate links. */
  buildDeps: string[];
  /** The names under `[dev-dependencies]`: what only its tests, examples and benchmarks link. */
  devDeps: string[];
  workspaceDeps?: Table;
  isWorkspaceRoot: boolean;
  text: string;
}

export function readManifest(fs: FileSystem, file: string, warn: (msg: string) => void): Manifest | undefined {
  const text = fs.readText(file, warn);
  if (text === undefined) return undefined;
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    warn(`${file}: cannot read Cargo.toml (${(e as Error).message.split('\n')[0]}); its crate is analysed with default settings`);
    doc = {};
  }
  const pkg = asTable(doc.package);
  const lib = asTable(doc.lib);
  const ws = asTable(doc.workspace);
  const crateTypes = Array.isArray(lib?.['crate-type']) ? (lib!['crate-type'] as unknown[]).map(String) : [];
  const dir = path.dirname(file);
  const at = (p: unknown) => (typeof p === 'string' ? path.resolve(dir, p) : undefined);
  const bins = Array.isArray(doc.bin) ? doc.bin : [];
  return {
    path: file,
    dir,
    packageName: typeof pkg?.name === 'string' ? pkg.name : undefined,
    crateTypes,
    libPath: at(lib?.path),
    binPaths: bins.flatMap((b) => at(asTable(b)?.path) ?? []),
    deps: { ...asTable(doc['dev-dependencies']), ...asTable(doc['build-dependencies']), ...asTable(doc.dependencies) },
    buildDeps: [...Object.keys(asTable(doc.dependencies) ?? {}), ...Object.keys(asTable(doc['build-dependencies']) ?? {})],
    devDeps: Object.keys(asTable(doc['dev-dependencies']) ?? {}),
    workspaceDeps: asTable(ws?.dependencies),
    isWorkspaceRoot: ws !== undefined,
    text,
  };
}

/** The 0-based line of `name = ...` in a manifest's text, for pointing diagnostics at the dependency. */
function dependencyLine(text: string, name: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => l.trimStart().startsWith(`${name} `) || l.trimStart().startsWith(`${name}=`) || l.trimStart().startsWith(`${name}.`));
  return i >= 0 ? i : undefined;
}

/** The version requirement of a dependency entry; `{ workspace = true }` inherits the workspace's entry. */
/** The library's own repositories: a git dependency on them is the library itself. */
const UPSTREAM_GIT = /github\.com[/:]dfinity\/(stable-structures|ic-stable-memory)(\.git)?\/?$/;

function requirementOf(name: string, dep: unknown, workspaceDeps: Table | undefined): { req?: string; fromWorkspace: boolean; fork?: string } {
  if (typeof dep === 'string') return { req: dep, fromWorkspace: false };
  const t = asTable(dep);
  if (!t) return { fromWorkspace: false };
  if (t.workspace === true) {
    const inherited = workspaceDeps?.[typeof t.package === 'string' ? t.package : name];
    const from = inherited === undefined ? undefined : requirementOf(name, inherited, undefined);
    return { req: from?.req, fork: from?.fork, fromWorkspace: true };
  }
  const fork = typeof t.git === 'string' && !UPSTREAM_GIT.test(t.git) ? t.git : typeof t.path === 'string' ? t.path : undefined;
  return { req: typeof t.version === 'string' ? t.version : undefined, fromWorkspace: false, ...(fork ? { fork } : {}) };
}

/** Versions of a package recorded in a Cargo.lock. */
export function lockedVersions(fs: FileSystem, lockFile: string, warn: (msg: string) => void): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!fs.exists(lockFile)) return out;
  const text = fs.readText(lockFile, warn);
  if (text === undefined) return out;
  try {
    const doc = parseToml(text) as Table;
    const pkgs = Array.isArray(doc.package) ? doc.package : [];
    for (const p of pkgs) {
      const t = asTable(p);
      if (typeof t?.name !== 'string' || typeof t.version !== 'string') continue;
      out.set(t.name, [...(out.get(t.name) ?? []), t.version]);
    }
  } catch (e) {
    warn(`${lockFile}: cannot read Cargo.lock (${(e as Error).message.split('\n')[0]}); versions come from Cargo.toml`);
  }
  return out;
}

export function libVersion(name: string, manifest: Manifest, workspaceDeps: Table | undefined, locked: Map<string, string[]>): LibVersion | undefined {
  const dep = manifest.deps[name];
  if (dep === undefined) return undefined;
  const { req, fromWorkspace, fork } = requirementOf(name, dep, workspaceDeps);
  const manifestLine = dependencyLine(manifest.text, name);
  const reqVersion = req ? parseVersion(req) : undefined;
  const lockedList = locked.get(name) ?? [];
  // Several versions may be locked; take the one that fits the requirement's major.minor.
  const fitting = lockedList
    .map((v) => ({ text: v, v: parseVersion(v)! }))
    .filter((x) => x.v && (!reqVersion || (x.v.major === reqVersion.major && (reqVersion.major > 0 || x.v.minor === reqVersion.minor))));
  const best = fitting.sort((a, b) => b.v.major - a.v.major || b.v.minor - a.v.minor || b.v.patch - a.v.patch)[0];
  // A fork or wrapper keeps the name but not necessarily the API: rules about the library's API stand down.
  const forkOf = fork ? { fork } : {};
  if (best) return { ...best.v, text: best.text, source: 'Cargo.lock', manifestLine, ...forkOf };
  if (reqVersion) return { ...reqVersion, text: req!, source: fromWorkspace ? 'workspace' : 'Cargo.toml', manifestLine, ...forkOf };
  return fork ? { ...LATEST_STABLE_STRUCTURES, source: fromWorkspace ? 'workspace' : 'Cargo.toml', manifestLine, fork } : undefined;
}

/** Folders whose crates are tests, end-to-end scenarios or benchmarks. */
const TEST_FOLDERS = new Set([
  'tests',
  'test',
  'e2e',
  'e2e-tests',
  'e2e_tests',
  'integration-tests',
  'integration_tests',
  'benches',
  'bench',
  'benchmarks',
  'canbench',
]);
/** Words of a package name that say it is test code: `xrc_mock`, `fake-cmc`, `e2e-scenario`. */
const TEST_WORDS = new Set(['test', 'tests', 'e2e', 'bench', 'benches', 'benchmark', 'benchmarks', 'mock', 'mocks', 'fake']);

/**
 * Why a crate is test code that is never deployed: it lies in a test or benchmark folder of its
 * workspace (or project), or its package name says mock, fake, test or bench as a word.
 */
export function testCodeReason(name: string, dir: string, anchor: string | undefined): string | undefined {
  const rel = anchor ? path.relative(anchor, dir) : '';
  const folder = rel.startsWith('..') ? undefined : rel.split(path.sep).find((part) => TEST_FOLDERS.has(part));
  if (folder) return `it lies in the ${folder}/ folder`;
  const word = name.split(/[-_]/).find((w) => TEST_WORDS.has(w.toLowerCase()));
  return word ? `its name says ${word}` : undefined;
}

/** The root file of each binary target: `[[bin]] path`s, `src/main.rs` and `src/bin/*.rs`. */
function binRootsOf(manifest: Manifest, files: string[]): string[] {
  const src = path.join(manifest.dir, 'src');
  const implicit = files.filter((f) => f === path.join(src, 'main.rs') || path.dirname(f) === path.join(src, 'bin'));
  return [...new Set([...manifest.binPaths, ...implicit])];
}

/** Builds the crate record for a manifest, with library versions resolved. */
export function crateFromManifest(
  manifest: Manifest,
  workspaceRoot: Manifest | undefined,
  locked: Map<string, string[]>,
  dfxPackages: Set<string>,
  files: string[],
  projectRoot?: string,
): CrateInfo {
  const wsDeps = workspaceRoot?.workspaceDeps ?? manifest.workspaceDeps;
  const name = manifest.packageName ?? path.basename(manifest.dir);
  const deps = Object.keys(manifest.deps);
  const isCanister =
    manifest.crateTypes.includes('cdylib') ||
    dfxPackages.has(name) ||
    (manifest.crateTypes.length === 0 && deps.some((d) => d === 'ic-cdk') && files.some((f) => f.endsWith(`${path.sep}main.rs`)));
  return {
    name,
    root: manifest.dir,
    manifest: manifest.path,
    manifestText: manifest.text,
    isCanister,
    binRoots: binRootsOf(manifest, files),
    testCode: testCodeReason(name, manifest.dir, workspaceRoot?.dir ?? projectRoot),
    stableStructures: libVersion(STABLE_STRUCTURES, manifest, wsDeps, locked),
    stableMemory: libVersion(STABLE_MEMORY, manifest, wsDeps, locked),
    files,
  };
}

/**
 * Marks the crates that only other crates' tests use: a dev-dependency of a crate that is not test
 * code itself, and a normal dependency of none. Such a crate (a helper canister the tests install)
 * is never deployed on its own, so no upgrade can lose its state.
 */
export function markTestHelpers(crates: CrateInfo[], manifests: Manifest[]): void {
  const linked = new Set(manifests.flatMap((m) => m.buildDeps));
  const byName = new Map(crates.map((c) => [c.name, c]));
  for (const m of manifests) {
    const user = m.packageName ? byName.get(m.packageName) : undefined;
    if (!user || user.testCode) continue;
    for (const dep of m.devDeps) {
      const helper = byName.get(dep);
      if (helper && helper !== user && !helper.testCode && !linked.has(dep)) helper.testCode = `only the tests of ${user.name} use it (a dev-dependency)`;
    }
  }
}
