import * as path from 'node:path';
import { LOCKFILE_NAME } from '../lockfile/types';
import {
  FileChangeType,
  type DidChangeTextDocumentParams,
  type DidChangeWatchedFilesParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
} from 'vscode-languageserver';
import type { AnalysisScheduler } from './scheduler';
import type { DiagnosticsPublisher } from './diagnostics';
import type { OpenDocuments } from './documents';
import type { Logger } from './log';
import type { Uris } from './uris';
import type { WorkspaceIndex } from './workspace';

/** Files whose change can move files between crates or change a crate's library version. */
export const LAYOUT_FILES = new Set(['Cargo.toml', 'Cargo.lock', 'dfx.json']);

/** The glob patterns the server asks the client to watch. */
export const WATCHED_GLOBS = [
  '**/*.rs',
  '**/Cargo.toml',
  '**/Cargo.lock',
  '**/dfx.json',
  `**/${LOCKFILE_NAME}`,
  '**/*.mo',
  '**/mops.toml',
  '**/vessel.dhall',
  '**/*.most',
];

/** Files whose change can change a Motoko project's files, packages or flags. */
const MOTOKO_LAYOUT_FILES = new Set(['mops.toml', 'vessel.dhall', 'dfx.json']);

/** What the Motoko side needs to hear about buffers and the disk (lsp/motoko/workspace.ts). */
export interface MotokoListener {
  fileChanged(file: string): void;
  diskChanged(file: string): void;
  layoutChanged(): void;
  /** A lockfile or a built stable signature (`.most`) changed: upgrade baselines are read again. */
  baselinesChanged(): void;
}

/** Keeps buffers, the file overlay and the crate index in step with the editor and the disk. */
export class DocumentSync {
  constructor(
    private readonly docs: OpenDocuments,
    private readonly index: WorkspaceIndex,
    private readonly scheduler: AnalysisScheduler,
    private readonly publisher: DiagnosticsPublisher,
    private readonly uris: Uris,
    private readonly log: Logger,
    private readonly motoko?: MotokoListener,
  ) {}

  private changed(file: string): void {
    // Motoko manifests count once saved (the watcher): restarting compilers per keystroke would be waste.
    if (file.endsWith('.mo')) this.motoko?.fileChanged(file);
    if (LAYOUT_FILES.has(path.basename(file))) this.scheduler.layoutChanged();
    else if (file.endsWith('.rs')) this.scheduler.fileChanged(file);
  }

  open({ textDocument: d }: DidOpenTextDocumentParams): void {
    const file = this.uris.toPath(d.uri);
    if (!file) return;
    this.docs.open(d.uri, file, d.languageId, d.version, d.text);
    this.index.fs.setOverlay(file, d.text);
    this.changed(file);
  }

  change({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const file = this.uris.toPath(textDocument.uri);
    if (!file) return;
    const doc = this.docs.change(file, textDocument.version, contentChanges);
    if (!doc) {
      this.log.trace(`Stable Lens: ignored change to ${file}: version ${textDocument.version} is not newer than the buffer`);
      return;
    }
    this.index.fs.setOverlay(file, doc.doc.getText());
    this.changed(file);
  }

  close({ textDocument }: DidCloseTextDocumentParams): void {
    const file = this.uris.toPath(textDocument.uri);
    if (!file) return;
    if (file.endsWith('.mo')) {
      // The compiler reads the saved copy again; the file keeps its diagnostics from the disk.
      this.docs.close(file);
      this.index.fs.setOverlay(file, undefined);
      this.motoko?.diskChanged(file);
      return;
    }
    const origin = this.index.crateOf(file)?.origin;
    this.docs.close(file);
    // The disk may differ from the buffer (closed without saving), so the crate is read again.
    this.index.fs.setOverlay(file, undefined);
    this.index.invalidate(file);
    if (origin === 'folder') this.changed(file);
    else {
      if (!origin) this.publisher.clearFile(file);
      this.scheduler.layoutChanged();
    }
  }

  watched({ changes }: DidChangeWatchedFilesParams): void {
    for (const change of changes) {
      const file = this.uris.toPath(change.uri);
      if (!file) continue;
      if (file.endsWith('.rs')) {
        // While a file is open its buffer is the truth; the watcher only reports the saved copy.
        if (this.docs.get(file) && change.type === FileChangeType.Changed) continue;
        this.index.invalidate(file);
        if (change.type === FileChangeType.Changed) this.scheduler.fileChanged(file);
        else this.scheduler.layoutChanged();
      } else if (file.endsWith('.mo')) {
        if (!(this.docs.get(file) && change.type === FileChangeType.Changed)) this.motoko?.diskChanged(file);
      } else if (LAYOUT_FILES.has(path.basename(file)) || MOTOKO_LAYOUT_FILES.has(path.basename(file))) {
        if (MOTOKO_LAYOUT_FILES.has(path.basename(file))) this.motoko?.layoutChanged();
        if (LAYOUT_FILES.has(path.basename(file))) this.scheduler.layoutChanged();
      } else if (path.basename(file) === LOCKFILE_NAME) {
        this.index.invalidateBaselines();
        this.scheduler.everythingChanged();
        this.motoko?.baselinesChanged();
      } else if (file.endsWith('.most')) {
        this.motoko?.baselinesChanged();
      }
    }
  }
}
