import { SKIPPED_DIRS } from '../../core/fileSystem';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MotokoText, type MoNode } from '../model/ast';
import { stableCompatible, type CompatibleApi } from './compatible';
import { extractMotokoModel } from '../model/extract';
import { persistenceMode, stickyKey } from '../project/flags';
import type { CheckResult, CompatibilityResult, CompilerDiagnostic, CompilerSetup, SignatureResult, SnapshotResult } from './protocol';

/** The part of the `motoko` package's API this session uses. */
export interface MotokoApi extends CompatibleApi {
  write(path: string, content: string): void;
  read(path: string): string;
  delete(path: string): void;
  usePackage(name: string, dir: string): void;
  loadPackage(pkg: unknown): void;
  clearPackages(): void;
  setExtraFlags(flags: string[]): void;
  parseMotoko(text: string, recovery: boolean): unknown;
  parseMotokoWithDeps(path: string, text: string, recovery: boolean): { immediateImports: string[] };
  checkWithScopeCache(path: string, cache: Map<string, unknown>): { diagnostics: RawDiagnostic[]; scopeCache: Map<string, unknown> | null };
  wasm(path: string, mode: 'ic'): { stable?: string };
}

interface RawDiagnostic {
  source: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  message: string;
}

const SEVERITY = ['error', 'error', 'warning', 'info', 'hint'] as const;

/** What a loaded compiler holds across sessions: its sticky flags, and module scopes worth keeping. */
interface CompilerState {
  applied?: string;
  packageKey?: string;
  scopeCache: Map<string, unknown>;
}

const STATE = new WeakMap<MotokoApi, CompilerState>();

/** Where an older version's files are mounted, so they never replace the project's own. */
const SNAPSHOT_ROOT = '/.stable-lens-snapshot';

/** Folders whose sources belong to packages: their diagnostics are never shown. */
const PACKAGE_DIRS = /[\\/]\.(mops|vessel)[\\/]|^\.node-motoko\//;

/**
 * One compiler instance for one project: its virtual files, packages, flags and scope cache. Runs
 * wherever the `motoko` package is loaded (the worker, or the caller's thread in tests). Flags are
 * sticky in the compiler, so a session refuses a flag set it cannot reach; its owner recreates it.
 */
export class CompilerSession {
  private files = new Set<string>();
  private packageDirs: string[] = [];
  private readonly importsOf = new Map<string, string[]>();

  constructor(
    private readonly mo: MotokoApi,
    private readonly loadCore: () => unknown,
  ) {}

  setup(setup: CompilerSetup): void {
    for (const f of this.files) this.mo.delete(f);
    this.files.clear();
    this.importsOf.clear();
    // Package scopes stay valid while the packages do: only the project's own modules are dropped.
    const packageKey = JSON.stringify([setup.packages, setup.bundledCore]);
    const kept =
      packageKey === this.shared.packageKey
        ? [...this.scopeCache].filter(([k]) => PACKAGE_DIRS.test(k) || setup.packages.some((p) => k.startsWith(p.dir + path.sep)))
        : [];
    this.scopeCache = new Map(kept);
    this.shared.packageKey = packageKey;
    this.mo.clearPackages();
    this.packageDirs = setup.packages.map((p) => p.dir);
    for (const pkg of setup.packages) {
      for (const file of listMo(pkg.dir)) this.writeFromDisk(file);
      this.mo.usePackage(pkg.name, pkg.dir);
    }
    if (setup.bundledCore) this.mo.loadPackage(this.loadCore());
    for (const file of setup.files) this.writeFromDisk(file);
  }

  /** Buffers and disk changes: `null` re-reads the disk (or drops a deleted file). */
  update(changes: { path: string; text: string | null }[]): void {
    for (const { path: file, text } of changes) {
      if (text === null) this.writeFromDisk(file);
      else this.write(file, text);
      this.evict(file);
    }
  }

  check(file: string, flags: string[]): CheckResult {
    this.applyFlags(flags);
    const started = Date.now();
    const text = this.read(file) ?? '';
    const source = new MotokoText(file, text);
    let model: CheckResult['model'];
    try {
      model = extractMotokoModel(this.mo.parseMotoko(text, true) as MoNode, source, persistenceMode(flags));
    } catch (error) {
      model = { file, actors: [], imports: [], parseError: error instanceof Error ? error.message : String(error) };
    }
    const { diagnostics: raw, scopeCache } = this.mo.checkWithScopeCache(file, this.scopeCache);
    if (scopeCache) this.scopeCache = scopeCache;
    const texts: Record<string, string> = {};
    const diagnostics: CompilerDiagnostic[] = [];
    let hiddenErrors = 0;
    for (const d of raw) {
      const target = d.source || file;
      if (PACKAGE_DIRS.test(target) || this.packageDirs.some((dir) => target.startsWith(dir + path.sep))) {
        if (d.severity === 1) hiddenErrors++;
        continue;
      }
      const targetText = target === file ? source : new MotokoText(target, (texts[target] ??= this.read(target) ?? ''));
      diagnostics.push({
        loc: {
          file: target,
          start: targetText.offset(d.range.start.line, d.range.start.character),
          end: targetText.offset(d.range.end.line, d.range.end.character),
        },
        severity: SEVERITY[d.severity] ?? 'error',
        code: d.code,
        message: d.message,
      });
    }
    return { file, model, compiled: true, diagnostics, texts, hiddenErrors, ms: Date.now() - started };
  }

  signature(file: string, flags: string[]): SignatureResult {
    this.applyFlags(flags);
    const started = Date.now();
    try {
      const most = this.mo.wasm(file, 'ic').stable;
      return { file, most: most ?? undefined, ms: Date.now() - started };
    } catch (error) {
      return { file, error: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
    }
  }

  compatible(pre: string, post: string): CompatibilityResult {
    return stableCompatible(this.mo, pre, post);
  }

  /**
   * Compiles an older version of the project (a git revision) beside the current one: its files go
   * under a separate root, so relative imports resolve among themselves, and are removed afterwards.
   */
  snapshot(main: string, files: { path: string; text: string }[], flags: string[]): SnapshotResult {
    const mounted = files.map((f) => ({ ...f, virtual: SNAPSHOT_ROOT + f.path.replace(/\\/g, '/').replace(/^([A-Za-z]):/, '/$1') }));
    for (const f of mounted) this.mo.write(f.virtual, f.text);
    try {
      const own = mounted.find((f) => f.path === main);
      const signature = own ? this.signature(own.virtual, flags) : { file: main, error: 'the main file is missing in that version', ms: 0 };
      let model: SnapshotResult['model'];
      try {
        if (own) model = extractMotokoModel(this.mo.parseMotoko(own.text, true) as MoNode, new MotokoText(main, own.text), persistenceMode(flags));
      } catch {
        model = undefined;
      }
      return { signature: { ...signature, file: main }, model };
    } finally {
      for (const f of mounted) this.mo.delete(f.virtual);
    }
  }

  /** True when this compiler can take `flags`: the sticky part matches what it applied, or it applied none. */
  accepts(flags: string[]): boolean {
    return this.shared.applied === undefined || this.shared.applied === stickyKey(flags);
  }

  /** State of the loaded compiler itself, shared by every session that uses it. */
  private get shared(): CompilerState {
    let state = STATE.get(this.mo);
    if (!state) STATE.set(this.mo, (state = { scopeCache: new Map() }));
    return state;
  }

  private get scopeCache(): Map<string, unknown> {
    return this.shared.scopeCache;
  }

  private set scopeCache(cache: Map<string, unknown>) {
    this.shared.scopeCache = cache;
  }

  private applyFlags(flags: string[]): void {
    if (!this.accepts(flags)) throw new Error(`this compiler already applied other flags than ${flags.join(' ')}`);
    this.shared.applied = stickyKey(flags);
    this.mo.setExtraFlags(flags);
  }

  private read(file: string): string | undefined {
    try {
      return this.mo.read(file);
    } catch {
      return undefined;
    }
  }

  private write(file: string, text: string): void {
    this.mo.write(file, text);
    this.files.add(file);
    this.importsOf.delete(file);
  }

  private writeFromDisk(file: string): void {
    let text: string | undefined;
    try {
      // A FIFO or device named *.mo would block the read, and the compiler with it, forever.
      text = fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      text = undefined;
    }
    if (text !== undefined) this.write(file, text);
    else if (this.files.delete(file)) this.mo.delete(file);
  }

  /** Drops a changed file and every cached module that imports it, directly or not. */
  private evict(changed: string): void {
    const stale = new Set([changed]);
    for (let grew = true; grew;) {
      grew = false;
      for (const key of this.scopeCache.keys()) {
        if (stale.has(key) || !this.files.has(key)) continue;
        if (this.imports(key).some((i) => stale.has(i))) {
          stale.add(key);
          grew = true;
        }
      }
    }
    for (const key of stale) this.scopeCache.delete(key);
  }

  private imports(file: string): string[] {
    let found = this.importsOf.get(file);
    if (!found) {
      try {
        found = this.mo.parseMotokoWithDeps(file, this.read(file) ?? '', true).immediateImports;
      } catch {
        found = [];
      }
      this.importsOf.set(file, found);
    }
    return found;
  }
}

/** The `.mo` files below a folder, skipping build output and nested package folders. */
export function listMo(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) visit(full);
      else if (e.isFile() && e.name.endsWith('.mo')) out.push(full);
    }
  };
  visit(dir);
  return out;
}
