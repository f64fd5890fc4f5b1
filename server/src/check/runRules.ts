import { effectiveSeverity, SEVERITY_RANK, type AnalysisConfig } from '../core/config';
import { dedupeFindings, type Finding, type Report, type Severity } from '../core/findings';
import type { SuppressionComment } from '../core/loc';
import { applySuppressions, UNUSED_SUPPRESSION } from '../core/suppressions';
import type { LineIndex } from '../core/text';
import type { Rule } from '../rules/api';
import { rules as allRules, ruleById } from '../rules/registry';

/** One language's check of a rule, bound to what that language's rules see. */
export interface BoundCheck {
  rule: Rule;
  run(report: (r: Report) => void): void;
}

export interface RuleLoopInput {
  checks: BoundCheck[];
  config: AnalysisConfig;
  /** Findings made before the rules ran (compiler diagnostics): suppressions apply to them too. */
  findings?: Finding[];
  /** Each file's suppression comments. */
  suppressions: { file: string; suppressions: SuppressionComment[] }[];
  lineIndex(file: string): LineIndex;
  /** Adjusts a finding as it is reported (line breaks of its fixes). */
  fit?(finding: Finding): Finding;
  onRuleError?(rule: Rule, error: unknown): void;
}

/**
 * The rule loop of both languages: runs each enabled check at its configured severity (a check
 * that throws is reported and skipped, the others run), applies suppressions, reports the unused
 * ones, and drops repeats. The caller orders the result.
 */
export function runRules(input: RuleLoopInput): Finding[] {
  const findings: Finding[] = [...(input.findings ?? [])];
  const active = new Set<string>();
  const finish = input.fit ?? ((f: Finding) => f);
  for (const { rule, run } of input.checks) {
    const severity = effectiveSeverity(rule, input.config);
    if (!severity) continue;
    active.add(rule.id);
    const found: Finding[] = [];
    try {
      run((r) =>
        found.push(finish({ ...r, rule: rule.id, severity: r.severity && SEVERITY_RANK[r.severity] < SEVERITY_RANK[severity] ? r.severity : severity })),
      );
      findings.push(...found);
    } catch (error) {
      input.onRuleError?.(rule, error);
    }
  }
  const kept = applySuppressions(findings, input.suppressions, input.lineIndex, new Set(allRules.map((r) => r.id)), active, unusedSeverity(input.config));
  return dedupeFindings(kept);
}

function unusedSeverity(config: AnalysisConfig): Severity | undefined {
  const unused = ruleById(UNUSED_SUPPRESSION);
  return unused ? effectiveSeverity(unused, config) : undefined;
}
