import type { CancellationToken } from 'vscode-languageserver';
import type { CrateResult } from '../check/rust';
import type { SourceFile } from '../rust/model/sourceFile';
import type { StableLensSettings } from '../protocol/requests';
import type { AnalysisScheduler } from './scheduler';
import type { Logger } from './log';
import type { Uris } from './uris';
import type { CrateEntry, WorkspaceIndex } from './workspace';

/** What a per-file request gets: the file's crate, analysed from the latest text. */
export interface FileContext {
  file: string;
  uri: string;
  entry: CrateEntry;
  result: CrateResult;
  source: SourceFile;
  settings: StableLensSettings;
}

/**
 * Runs a per-file request: waits for pending analysis, honours cancellation, and answers the
 * fallback when the file is in no crate, Stable Lens is off, or the feature throws.
 */
export class Requests {
  constructor(
    private readonly index: WorkspaceIndex,
    private readonly scheduler: AnalysisScheduler,
    private readonly uris: Uris,
    private readonly log: Logger,
  ) {}

  forFile<T>(what: string, uri: string, token: CancellationToken, fallback: T, run: (ctx: FileContext) => T): Promise<T> {
    return this.log.guardAsync(
      what,
      async () => {
        const file = this.uris.toPath(uri);
        await this.scheduler.started;
        if (!file || !this.scheduler.ready) return fallback;
        await this.scheduler.flush();
        const entry = this.index.crateOf(file);
        const result = entry?.result;
        const source = result?.files.get(file);
        if (!entry || !result || !source || token.isCancellationRequested) return fallback;
        const settings = await this.scheduler.settingsFor(entry);
        if (!settings.enable || token.isCancellationRequested) return fallback;
        return run({ file, uri, entry, result, source, settings });
      },
      fallback,
    );
  }

  /** A workspace-wide request: same waiting and error handling, no file. */
  forWorkspace<T>(what: string, token: CancellationToken, fallback: T, run: () => T): Promise<T> {
    return this.log.guardAsync(
      what,
      async () => {
        await this.scheduler.started;
        if (!this.scheduler.ready) return fallback;
        await this.scheduler.flush();
        return token.isCancellationRequested ? fallback : run();
      },
      fallback,
    );
  }
}
