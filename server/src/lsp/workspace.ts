import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { analyzeCrate, type CrateResult } from '../check/rust';
import { sourceFile as parseSource, type SourceFile } from '../rust/model/sourceFile';
import type { AnalysisConfig } from '../core/config';
import { discoverCrates } from '../rust/project/discover';
import { FileSystem, oversizedBuffer } from '../core/fileSystem';
import { baselineStamp, loadBaseline } from '../lockfile/baseline';
import type { LoadedLock } from '../lockfile/io';
import type { CrateInfo } from '../rust/project/crate';
import type { OpenDocuments } from './documents';
import type { Logger } from './log';

/** One crate of the workspace with its latest analysis. */
export interface CrateEntry {
  key: string;
  info: CrateInfo;
  /** `folder` crates come from the workspace folders; `document` ones from a file opened outside them. */
  origin: 'folder' | 'document';
  /** Undefined until analysed, and while Stable Lens is disabled for the crate. */
  result?: CrateResult;
}

function crateKey(info: CrateInfo): string {
  return info.manifest ?? `${info.root}${path.sep}${info.name}`;
}

function isDir(p: string): boolean {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The crates of the workspace and their files. Open buffers overlay the disk; files read from disk
 * are parsed once and kept until the file watcher reports a change.
 */
export class WorkspaceIndex {
  readonly fs = new FileSystem();
  private folders: string[] = [];
  private entries: CrateEntry[] = [];
  private readonly byFile = new Map<string, CrateEntry>();
  private readonly disk = new Map<string, SourceFile>();
  private readonly baselines = new Map<string, { stamp: string; lock: LoadedLock | undefined }>();
  private readonly warn: (message: string) => void;

  constructor(
    private readonly docs: OpenDocuments,
    private readonly log: Logger,
  ) {
    this.warn = (message) => log.once(`warn:${message}`, `Stable Lens: ${message}`);
  }

  setFolders(folders: string[]): void {
    this.folders = [...new Set(folders.map((f) => path.resolve(f)))];
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  crates(): readonly CrateEntry[] {
    return this.entries;
  }

  entry(key: string): CrateEntry | undefined {
    return this.entries.find((e) => e.key === key);
  }

  crateOf(file: string): CrateEntry | undefined {
    return this.byFile.get(file);
  }

  /** Finds the crates again (after a manifest, a lock file or the set of files changed). */
  discover(): { changed: CrateEntry[]; removed: CrateEntry[] } {
    const roots = this.folders.filter(isDir);
    const found: { info: CrateInfo; origin: CrateEntry['origin'] }[] = roots.length
      ? discoverCrates(this.fs, roots, this.warn).crates.map((info) => ({ info, origin: 'folder' as const }))
      : [];
    for (const doc of this.docs.all()) {
      if (!doc.isRust || found.some((c) => c.info.files.includes(doc.path))) continue;
      // A buffer not saved yet under a crate's src/ belongs to that crate, as it will once on disk.
      const owner = found.find((c) => c.info.manifest && doc.path.startsWith(path.join(c.info.root, 'src') + path.sep));
      if (owner) {
        owner.info.files = [...owner.info.files, doc.path];
        continue;
      }
      // A Rust file opened from outside the folders is still analysed, with the crate it belongs to.
      for (const info of discoverCrates(this.fs, [doc.path], this.warn).crates) {
        if (!found.some((c) => crateKey(c.info) === crateKey(info))) found.push({ info, origin: 'document' });
      }
    }
    const old = new Map(this.entries.map((e) => [e.key, e]));
    const changed: CrateEntry[] = [];
    this.entries = found.map(({ info, origin }) => {
      const key = crateKey(info);
      const prev = old.get(key);
      old.delete(key);
      // Entries are kept as objects, since an analysis in flight writes its result into them.
      const entry: CrateEntry = prev ?? { key, info, origin };
      entry.origin = origin;
      if (!prev || JSON.stringify(prev.info) !== JSON.stringify(info)) changed.push(entry);
      entry.info = info;
      return entry;
    });
    this.byFile.clear();
    for (const e of this.entries) for (const f of e.info.files) if (!this.byFile.has(f)) this.byFile.set(f, e);
    for (const f of [...this.disk.keys()]) if (!this.byFile.has(f)) this.disk.delete(f);
    return { changed, removed: [...old.values()] };
  }

  /** The layout a crate is checked against, read once per setting until the lockfile changes or a git baseline's ref moves. */
  private baseline(entry: CrateEntry, config: AnalysisConfig): LoadedLock | undefined {
    const spec = config.baseline ?? { kind: 'lockfile' };
    const key = `${entry.key}|${JSON.stringify(spec)}`;
    const stamp = baselineStamp(entry.info.root, spec);
    let cached = this.baselines.get(key);
    if (!cached || cached.stamp !== stamp) {
      cached = { stamp, lock: loadBaseline(entry.info, this.fs, spec, this.warn) };
      this.baselines.set(key, cached);
    }
    return cached.lock;
  }

  /** Forgets every loaded baseline, after a lockfile changed on disk. */
  invalidateBaselines(): void {
    this.baselines.clear();
  }

  /** Forgets what was read of a file from disk. */
  invalidate(file: string): void {
    this.disk.delete(file);
  }

  /** The analyzer's view of one file: the open buffer when there is one, else the disk. */
  sourceFile(file: string): SourceFile | undefined {
    const open = this.docs.get(file);
    if (open?.isRust) return oversizedBuffer(file, open.doc.getText(), this.warn) ? undefined : this.docs.sourceFile(file);
    const cached = this.disk.get(file);
    if (cached) return cached;
    const text = this.fs.readText(file, this.warn);
    if (text === undefined) return undefined;
    const source = parseSource(file, text);
    this.disk.set(file, source);
    return source;
  }

  /** Runs every rule over one crate and keeps the result. A file that fails to parse is skipped. */
  analyze(entry: CrateEntry, config: AnalysisConfig): CrateResult {
    const files: SourceFile[] = [];
    for (const file of entry.info.files) {
      try {
        const source = this.sourceFile(file);
        if (source) files.push(source);
      } catch (error) {
        this.log.failure(`parsing ${file}`, error);
      }
    }
    entry.result = analyzeCrate(entry.info, files, config, {
      baseline: this.baseline(entry, config),
      onRuleError: (rule, crate, error) => this.log.failure(`rule ${rule.id} on crate ${crate.name}`, error),
    });
    return entry.result;
  }
}
