import { effectiveSeverity, type AnalysisConfig } from '../analysis/config';
import { applySuppressions, suppressionsFromComments, UNUSED_SUPPRESSION } from '../analysis/suppressions';
import type { SuppressionComment } from '../model/types';
import { rules as allRules, motokoTwins, ruleById } from '../rules';
import type { Finding, MotokoRuleContext, Rule } from '../rules/types';
import { LineIndex } from '../util/text';
import { scanComments } from './comments';
import { FALLBACK_CODES, needsFallback, persistenceFallback } from './fallback';
import { compilerFixes } from './fixes';
import type { MotokoFileModel, PersistenceMode } from './model';
import type { CheckResult, CompilerDiagnostic } from './protocol';
import type { MotokoUpgrade } from './upgrade';
import { dedupeFindings } from '../analysis/findings';

/** A Motoko file as analysed: its text, model and findings, plus compiler findings it caused elsewhere. */
export interface MotokoFileResult {
  file: string;
  text: string;
  lines: LineIndex;
  model?: MotokoFileModel;
  compiled: boolean;
  findings: Finding[];
  /** Compiler diagnostics in imported files, with the text the compiler saw. */
  foreign: Map<string, { text: string; findings: Finding[] }>;
  suppressions: SuppressionComment[];
  /** Milliseconds the compiler took. */
  ms: number;
  /** What the upgrade rules compared a canister's main file with. */
  upgrade?: MotokoUpgrade;
}

export interface MotokoAnalysisInput {
  file: string;
  text: string;
  check: CheckResult;
  mode: PersistenceMode;
  config: AnalysisConfig;
  /** Packages mops.toml declares that are not installed: their M0010 says so. */
  missingPackages?: Set<string>;
  onRuleError?(rule: Rule, error: unknown): void;
  ruleSet?: readonly Rule[];
  /** For a canister's main file: its baseline and the compiler's compatibility verdict. */
  upgrade?: MotokoUpgrade;
}

const ORDER = (a: Finding, b: Finding) => a.loc.start - b.loc.start || a.loc.end - b.loc.end || a.rule.localeCompare(b.rule);

function compilerFinding(d: CompilerDiagnostic, missing: Set<string> | undefined): Finding {
  let message = d.message.trimEnd();
  const pkg = d.code === 'M0010' ? /package "([^"]+)" not defined/.exec(message)?.[1] : undefined;
  if (pkg && missing?.has(pkg)) message = `package "${pkg}" not defined: mops.toml declares it but it is not installed (run \`mops install\`)`;
  else if (pkg) message = `package "${pkg}" not defined: add it to mops.toml and run \`mops install\``;
  return { rule: d.code || 'moc', severity: d.severity, message, loc: d.loc };
}

/** True for a compiler code (`M0218`) rather than a Stable Lens rule id. */
export function isCompilerCode(code: string): boolean {
  return /^M\d{4}$/.test(code) || code === 'moc';
}

/**
 * Turns one compiler check into findings: the compiler's diagnostics with their quick fixes, the
 * persistence fallback when the compiler stopped early, and the Motoko rules run on the AST model.
 * Pure: the compiler ran elsewhere.
 */
export function analyzeMotokoFile(input: MotokoAnalysisInput): MotokoFileResult {
  const { file, text, check, mode, config } = input;
  const lines = new LineIndex(text);
  const model = check.model;
  const own: Finding[] = [];
  const foreign = new Map<string, { text: string; findings: Finding[] }>();
  for (const d of check.diagnostics) {
    const finding = compilerFinding(d, input.missingPackages);
    if (d.loc.file === file) own.push({ ...finding, fixes: compilerFixes(d.code, d.loc, model, text) });
    else {
      const entry = foreign.get(d.loc.file) ?? { text: check.texts[d.loc.file] ?? '', findings: [] };
      entry.findings.push(finding);
      foreign.set(d.loc.file, entry);
    }
  }
  if (model && needsFallback(check.compiled, check.diagnostics, file, check.hiddenErrors)) {
    const reported = new Set(own.filter((f) => FALLBACK_CODES.has(f.rule)).map((f) => `${f.rule}:${f.loc.start}:${f.loc.end}`));
    for (const f of persistenceFallback(model, mode)) {
      if (!reported.has(`${f.rule}:${f.loc.start}:${f.loc.end}`)) own.push({ ...f, fixes: compilerFixes(f.rule, f.loc, model, text) });
    }
  }
  const active = new Set<string>();
  if (model && !model.parseError) {
    const ruleSet = input.ruleSet ?? allRules;
    const checks: { rule: Rule; check(ctx: MotokoRuleContext): void }[] = [
      ...ruleSet.flatMap((rule) => (rule.language === 'motoko' ? [{ rule, check: (ctx: MotokoRuleContext) => rule.check(ctx) }] : [])),
      ...motokoTwins.filter((t) => ruleSet.includes(t.rule)),
    ];
    for (const { rule, check } of checks) {
      const severity = effectiveSeverity(rule, config);
      if (!severity) continue;
      active.add(rule.id);
      const found: Finding[] = [];
      try {
        check({ file: model, text, mode, upgrade: input.upgrade, report: (r) => found.push({ ...r, rule: rule.id, severity }) });
        own.push(...found);
      } catch (error) {
        input.onRuleError?.(rule, error);
      }
    }
  }
  const comments = scanComments(text).filter((c) => c.line);
  const suppressions = suppressionsFromComments(file, comments, lines);
  const unused = ruleById(UNUSED_SUPPRESSION);
  const kept = applySuppressions(own, [{ file, suppressions }], () => lines, new Set(allRules.map((r) => r.id)), active, unused ? effectiveSeverity(unused, config) : undefined);
  return { file, text, lines, model, compiled: check.compiled, findings: dedupeFindings(kept).sort(ORDER), foreign, suppressions, ms: check.ms, upgrade: input.upgrade };
}

