import type { BaselineSpec } from '../lockfile/baseline';
import type { Rule, Severity, SeveritySetting } from '../rules/types';

export interface AnalysisConfig {
  /** Per-rule overrides, keyed by rule id. */
  rules: Record<string, SeveritySetting | undefined>;
  /** Where compatibility rules take the previous layout from; each crate's lockfile by default. */
  baseline?: BaselineSpec;
}

export const DEFAULT_CONFIG: AnalysisConfig = { rules: {} };

export const SEVERITY_SETTINGS: SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error', 'default'];

export function isSeveritySetting(v: unknown): v is SeveritySetting {
  return typeof v === 'string' && (SEVERITY_SETTINGS as string[]).includes(v);
}

/** The severity a rule runs at, or undefined when it is turned off. */
export function effectiveSeverity(rule: Pick<Rule, 'id' | 'defaultSeverity'>, config: AnalysisConfig): Severity | undefined {
  const setting = config.rules[rule.id];
  if (setting === 'off') return undefined;
  if (setting === undefined || setting === 'default') return rule.defaultSeverity;
  return setting;
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
