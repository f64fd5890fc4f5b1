import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type PublishDiagnosticsParams, type Range } from 'vscode-languageserver';
import type { Loc } from '../core/loc';
import type { DiagnosticData } from '../protocol/requests';
import { docsUrl, ruleById } from '../rules/registry';
import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/text';
import type { OpenDocuments } from './documents';
import type { Uris } from './uris';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

const TAGS = { unnecessary: DiagnosticTag.Unnecessary, deprecated: DiagnosticTag.Deprecated } as const;

export const SOURCE = 'stable-lens';

/** What diagnostics are made from: a crate's analysis, or a Motoko file's. */
export interface AnalysisResult {
  findings: Finding[];
  files: ReadonlyMap<string, { lines: LineIndex }>;
}

/** Names a finding within its crate's analysis; code actions find it again by this key. */
export function findingKey(f: Finding): string {
  return `${f.rule}:${f.loc.start}:${f.loc.end}:${f.message}`;
}

export function rangeOf(result: AnalysisResult, loc: Loc): Range {
  const lines = result.files.get(loc.file)?.lines;
  if (!lines) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: lines.position(loc.start), end: lines.position(loc.end) };
}

export function toDiagnostic(f: Finding, result: AnalysisResult, uris: Uris): Diagnostic {
  const data: DiagnosticData = { rule: f.rule, key: findingKey(f), fixes: f.fixes?.length ?? (f.lazyFixes ? 1 : 0) };
  const d: Diagnostic = {
    range: rangeOf(result, f.loc),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: docsUrl(f.rule) },
    source: SOURCE,
    message: f.message,
    data,
  };
  // Compiler codes (M0218) and notes have no Stable Lens docs page.
  if (!ruleById(f.rule)) delete d.codeDescription;
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: uris.toUri(r.loc.file), range: rangeOf(result, r.loc) }, message: r.message }));
  }
  const tags = (f.tags ?? []).map((t) => TAGS[t]).filter((t) => t !== undefined);
  if (tags.length) d.tags = tags;
  return d;
}

/**
 * Publishes a crate's diagnostics file by file, and only for files whose diagnostics changed.
 * Files that are not open are included: a duplicate MemoryId shows up in memory.rs while lib.rs
 * is being edited.
 */
export class DiagnosticsPublisher {
  private readonly sent = new Map<string, string>();
  private readonly crateFiles = new Map<string, Set<string>>();

  constructor(
    private readonly send: (params: PublishDiagnosticsParams) => void,
    private readonly uris: Uris,
    private readonly docs: OpenDocuments,
  ) {}

  /** `result` undefined clears the crate (disabled, or gone from the workspace). */
  publishCrate(key: string, files: readonly string[], result: AnalysisResult | undefined): void {
    const byFile = new Map<string, Diagnostic[]>();
    for (const f of result?.findings ?? []) {
      const list = byFile.get(f.loc.file) ?? [];
      list.push(toDiagnostic(f, result!, this.uris));
      byFile.set(f.loc.file, list);
    }
    const targets = new Set([...(this.crateFiles.get(key) ?? []), ...files, ...byFile.keys()]);
    for (const file of targets) this.publishFile(file, byFile.get(file) ?? []);
    this.crateFiles.set(key, new Set([...files, ...byFile.keys()]));
  }

  clearCrate(key: string): void {
    for (const file of this.crateFiles.get(key) ?? []) this.publishFile(file, []);
    this.crateFiles.delete(key);
  }

  /** After a document closes outside every crate, its last diagnostics must not linger. */
  clearFile(file: string): void {
    this.publishFile(file, []);
  }

  private publishFile(file: string, diagnostics: Diagnostic[]): void {
    const open = this.docs.get(file);
    // An open buffer hears back after every analysis of a new version, so the editor knows its
    // diagnostics are current; a closed file only when they change.
    const json = `${open?.doc.version ?? ''}|${JSON.stringify(diagnostics)}`;
    const previous = this.sent.get(file);
    if (previous === json) return;
    // A closed file that never had diagnostics needs no empty list; an open one gets it once.
    if (previous === undefined && diagnostics.length === 0 && !open) return;
    this.sent.set(file, json);
    this.send({ uri: this.uris.toUri(file), version: open?.doc.version, diagnostics });
  }
}
