import type { CrateInfo } from '../model/crate';
import { CanisterModel, type LazyFacts } from '../model/rust/canister';
import { extractSplit, whole, type SplitFacts } from '../model/rust/split';
import { emptyFacts, extractRustFacts } from '../model/rust/extract';
import type { LoadedLock } from '../lockfile/io';
import type { RustFileFacts } from '../model/types';
import { rules as allRules, ruleById } from '../rules';
import type { Finding, Fix, Rule, TextEdit } from '../rules/types';
import { LineIndex } from '../util/text';
import { effectiveSeverity, type AnalysisConfig } from './config';
import { hotUnits, mentionsStableState } from './prefilter';
import { applySuppressions, UNUSED_SUPPRESSION } from './suppressions';
import { dedupeFindings } from './findings';

export interface SourceFile {
  path: string;
  text: string;
  lines: LineIndex;
  /** Every fact of the file. */
  facts: RustFileFacts;
  /** The facts of the units the rules read directly, and the rest for later; files read whole (open buffers) have none. */
  split?(): SplitFacts;
}

export interface CrateResult {
  crate: CrateInfo;
  model: CanisterModel;
  files: Map<string, SourceFile>;
  findings: Finding[];
  /** The layout the crate was checked against, when one was found. */
  baseline?: LoadedLock;
}

export interface AnalyzeHooks {
  /** Called once per rule and crate when a rule throws; the rule is skipped and the others run. */
  onRuleError?(rule: Rule, crate: CrateInfo, error: unknown): void;
  /** The layout the crate must stay compatible with; its file becomes part of the result, so findings can point into it. */
  baseline?: LoadedLock;
  /** False when no one will apply fixes (a CLI check): rules then skip building the costly ones. */
  fixes?: boolean;
}

/**
 * A source file record whose line index and facts are computed on first use: a file the crate's
 * analysis never needs is never parsed, and of a file it needs, only the units it reads.
 */
export function sourceFile(path: string, text: string): SourceFile {
  let lines: LineIndex | undefined;
  let facts: RustFileFacts | undefined;
  let split: SplitFacts | undefined;
  return {
    path,
    text,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
    get facts() {
      if (split) {
        split.complete();
        return split.facts;
      }
      return (facts ??= extractRustFacts(path, text, undefined, this.lines));
    },
    split() {
      if (facts) return whole(facts);
      return (split ??= extractSplit(path, text, this.lines, hotUnits));
    },
  };
}

const FINDING_ORDER = (a: Finding, b: Finding) =>
  a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.start - b.loc.start || a.rule.localeCompare(b.rule);

/** Runs every enabled Rust rule over one crate. Pure: the caller supplies the parsed files. */
export function analyzeCrate(crate: CrateInfo, files: SourceFile[], config: AnalysisConfig, hooks: AnalyzeHooks = {}, ruleSet: readonly Rule[] = allRules): CrateResult {
  // The prefilter reads every byte of the crate, so each file is tested once.
  const mentions = files.map((f) => mentionsStableState(f.text));
  const lazy: LazyFacts[] = files.filter((_, i) => !mentions[i]).map((f) => ({ file: f.path, text: f.text, facts: () => f.facts }));
  const primary = files.filter((_, i) => mentions[i]).map((f) => {
    if (!f.split) return f.facts;
    const split = f.split();
    if (split.pending) lazy.push({ file: f.path, get text() { return split.restText; }, facts: () => split.complete()!, rest: true });
    return split.facts;
  });
  const model = new CanisterModel(crate, primary, lazy);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const baseline = hooks.baseline;
  if (baseline) model.reserveIds([...Object.keys(baseline.lock.memoryIds).map(Number), ...baseline.lock.retiredMemoryIds]);
  if (baseline && !byPath.has(baseline.file)) byPath.set(baseline.file, { path: baseline.file, text: baseline.text, lines: new LineIndex(baseline.text), facts: emptyFacts(baseline.file) });
  const findings: Finding[] = [];
  const active = new Set<string>();
  for (const rule of ruleSet) {
    if (rule.language !== 'rust' || rule.id === UNUSED_SUPPRESSION) continue;
    const severity = effectiveSeverity(rule, config);
    if (!severity) continue;
    active.add(rule.id);
    const found: Finding[] = [];
    try {
      rule.check({
        model,
        text: (file) => byPath.get(file)?.text ?? '',
        report: (r) => found.push(fitLineBreaks({ ...r, rule: rule.id, severity }, (file) => byPath.get(file)?.text)),
        baseline,
        wantsFixes: hooks.fixes ?? true,
      });
      findings.push(...found);
    } catch (error) {
      hooks.onRuleError?.(rule, crate, error);
    }
  }
  const unused = ruleById(UNUSED_SUPPRESSION);
  const kept = applySuppressions(
    findings,
    model.files,
    (file) => byPath.get(file)?.lines ?? new LineIndex(''),
    new Set(allRules.map((r) => r.id)),
    active,
    unused ? effectiveSeverity(unused, config) : undefined,
  );
  return { crate, model, files: byPath, findings: dedupeFindings(kept).sort(FINDING_ORDER), baseline };
}

/**
 * Fits a finding's fix edits to files with CRLF line breaks: rules compute offsets around `\n`, so
 * an edit could land between `\r` and `\n`, and new lines would mix `\n` into the file.
 */
function fitLineBreaks(finding: Finding, textOf: (file: string) => string | undefined): Finding {
  const fitEdit = (e: TextEdit): TextEdit => {
    const text = textOf(e.file);
    if (!text?.includes('\r\n')) return e;
    const back = (at: number) => (text[at - 1] === '\r' && text[at] === '\n' ? at - 1 : at);
    return { ...e, start: back(e.start), end: back(e.end), newText: e.newText.replace(/\r?\n/g, '\r\n') };
  };
  const fit = (fixes: Fix[]) => fixes.map((f) => ({ ...f, edits: f.edits.map(fitEdit) }));
  const { fixes, lazyFixes } = finding;
  if (fixes) finding.fixes = fit(fixes);
  if (lazyFixes) finding.lazyFixes = () => fit(lazyFixes() ?? []);
  return finding;
}

