import type { AnalysisConfig } from '../core/config';
import type { Finding, Fix, TextEdit } from '../core/findings';
import { LineIndex } from '../core/text';
import type { LoadedLock } from '../lockfile/io';
import type { Rule, RuleContext } from '../rules/api';
import { rules as allRules } from '../rules/registry';
import { TestFiles } from '../rust/analysis/testCode';
import { buildCrateModel, type CrateModel } from '../rust/model/build';
import type { SourceFile } from '../rust/model/sourceFile';
import type { CrateInfo } from '../rust/project/crate';
import { runRules } from './runRules';

export interface CrateResult extends CrateModel {
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

const FINDING_ORDER = (a: Finding, b: Finding) =>
  a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.start - b.loc.start || a.rule.localeCompare(b.rule);

/** Runs every enabled Rust rule over one crate. Pure: the caller supplies the parsed files. */
export function analyzeCrate(
  crate: CrateInfo,
  files: SourceFile[],
  config: AnalysisConfig,
  hooks: AnalyzeHooks = {},
  ruleSet: readonly Rule[] = allRules,
): CrateResult {
  const baseline = hooks.baseline;
  const recorded = baseline && {
    file: baseline.file,
    text: baseline.text,
    ids: [...Object.keys(baseline.lock.memoryIds).map(Number), ...baseline.lock.retiredMemoryIds],
  };
  const built = buildCrateModel(crate, files, recorded);
  const { model, files: byPath } = built;
  const textOf = (file: string) => byPath.get(file)?.text;
  const ctx = (report: RuleContext['report']): RuleContext => ({
    model,
    text: (file) => textOf(file) ?? '',
    report,
    baseline,
    wantsFixes: hooks.fixes ?? true,
  });
  // A test, benchmark or mock crate is never deployed, so no upgrade can lose its state.
  const rulesToRun = crate.testCode ? [] : ruleSet;
  const checks = rulesToRun.flatMap((rule) => (rule.checkRust ? [{ rule, run: (report: RuleContext['report']) => rule.checkRust!(ctx(report)) }] : []));
  const findings = runRules({
    checks,
    config,
    suppressions: model.files,
    lineIndex: (file) => byPath.get(file)?.lines ?? new LineIndex(''),
    fit: (f) => fitLineBreaks(f, textOf),
    onRuleError: (rule, error) => hooks.onRuleError?.(rule, crate, error),
  });
  // Files that only tests build (`#[cfg(test)] mod x;`) are no part of the canister either.
  const testFiles = new TestFiles(textOf);
  const deployed = findings.filter((f) => !f.loc.file.endsWith('.rs') || !testFiles.isTest(f.loc.file));
  return { ...built, findings: deployed.sort(FINDING_ORDER), baseline };
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
