import { pathToFileURL } from 'node:url';
import type { StableLensSettings } from '../protocol/requests';
import type { DiagnosticsPublisher } from './diagnostics';
import type { Logger } from './log';
import { analysisConfig, type SettingsStore } from './settings';
import type { CrateEntry, WorkspaceIndex } from './workspace';

export interface Progress {
  report(done: number, total: number, crate: string): void;
}

/**
 * Decides when crates are analysed. An idle server starts on the next tick; changes that arrive
 * while a run is going are coalesced into the next one. Runs never overlap, and requests call
 * `flush()` so they always answer from the latest text.
 */
export class AnalysisScheduler {
  private readonly dirty = new Set<string>();
  private rediscover = false;
  private timer: NodeJS.Immediate | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** False until the parser is loaded and the first index started; nothing is analysed before. */
  ready = false;
  private settle: () => void = () => undefined;
  /** Settles when the first index is done, or when it will never run (the parser failed to load). */
  readonly started = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly settings: SettingsStore,
    private readonly publisher: DiagnosticsPublisher,
    private readonly log: Logger,
  ) {}

  /** A file's text changed: its crate is analysed again, or the crates are found again if it has none. */
  fileChanged(file: string): void {
    const entry = this.index.crateOf(file);
    if (entry) this.dirty.add(entry.key);
    else this.rediscover = true;
    this.schedule();
  }

  /** A manifest, lock file or the set of files changed. */
  layoutChanged(): void {
    this.rediscover = true;
    this.schedule();
  }

  /** Settings changed: every crate is analysed again. */
  everythingChanged(): void {
    for (const e of this.index.crates()) this.dirty.add(e.key);
    this.schedule();
  }

  /** Waits for pending and running analyses, so a request sees the latest text. */
  flush(): Promise<void> {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    if (this.dirty.size || this.rediscover) this.enqueue(() => this.runDirty());
    return this.queue;
  }

  /** The first full index, with progress, when the client is ready. */
  async indexAll(progress?: Progress): Promise<void> {
    this.ready = true;
    this.rediscover = false;
    this.dirty.clear();
    await this.enqueue(async () => {
      this.applyLayout();
      const all = [...this.index.crates()];
      for (let i = 0; i < all.length; i++) {
        progress?.report(i, all.length, all[i].info.name);
        await this.analyzeEntry(all[i]);
      }
    });
    this.settle();
  }

  /** The parser could not load: requests stop waiting for an index that will not come. */
  giveUp(): void {
    this.settle();
  }

  settingsFor(entry: CrateEntry): Promise<StableLensSettings> {
    return this.settings.get(pathToFileURL(entry.info.root).href);
  }

  private schedule(): void {
    // The edits of one message batch ride along; a run in progress delays the next one, never a timer.
    if (!this.ready || this.timer) return;
    this.timer = setImmediate(() => {
      this.timer = undefined;
      void this.flush();
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).catch((error) => this.log.failure('analysis', error));
    return this.queue;
  }

  private applyLayout(): void {
    const { changed, removed } = this.index.discover();
    for (const e of removed) this.publisher.clearCrate(e.key);
    for (const e of changed) this.dirty.add(e.key);
  }

  private async runDirty(): Promise<void> {
    if (!this.ready) return;
    if (this.rediscover) {
      this.rediscover = false;
      this.applyLayout();
    }
    const entries = [...this.dirty].map((k) => this.index.entry(k)).filter((e): e is CrateEntry => e !== undefined);
    this.dirty.clear();
    for (const entry of entries) await this.analyzeEntry(entry);
  }

  private async analyzeEntry(entry: CrateEntry): Promise<void> {
    const settings = await this.settingsFor(entry);
    // Text is read after the await, so the result always matches the buffers' current versions.
    if (!settings.enable) {
      entry.result = undefined;
      this.publisher.publishCrate(entry.key, entry.info.files, undefined);
      return;
    }
    const started = Date.now();
    const result = this.log.guard(`analysing crate ${entry.info.name}`, () => this.index.analyze(entry, analysisConfig(settings)), undefined);
    if (!result) return;
    this.log.trace(`Stable Lens: analysed ${entry.info.name} (${entry.info.files.length} files) in ${Date.now() - started} ms`);
    this.publisher.publishCrate(entry.key, entry.info.files, result);
  }
}
