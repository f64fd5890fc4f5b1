import type { Severity, SeveritySetting } from './findings';

/**
 * Where the layout to stay compatible with comes from: the lockfile, the code at a git revision, or
 * (Motoko only) the signatures dfx and mops leave after a build. Rust crates read `dfx` as `lockfile`.
 */
export type BaselineSpec = { kind: 'lockfile' } | { kind: 'git'; ref: string } | { kind: 'dfx' };

export function parseBaselineSpec(text: string | undefined): BaselineSpec | { error: string } {
  if (!text || text === 'lockfile') return { kind: 'lockfile' };
  if (text === 'dfx') return { kind: 'dfx' };
  // A ref that starts with '-' would reach git as an option (`git show --output=…` writes files).
  if (text.startsWith('git:-')) return { error: `a git ref cannot start with '-', as in '${text}'` };
  if (text.startsWith('git:') && text.length > 4) return { kind: 'git', ref: text.slice(4) };
  return { error: `baseline must be 'lockfile', 'dfx' or 'git:<ref>', not '${text}'` };
}

export interface AnalysisConfig {
  /** Per-rule overrides, keyed by rule id. */
  rules: Record<string, SeveritySetting | undefined>;
  /** Where compatibility rules take the previous layout from; each crate's lockfile by default. */
  baseline?: BaselineSpec;
  /** Which Motoko compiler diagnostics are shown: those about upgrades (default), all, or none. */
  motokoDiagnostics?: MotokoCompilerDiagnostics;
}

export type MotokoCompilerDiagnostics = 'upgrade' | 'all' | 'none';

export const DEFAULT_CONFIG: AnalysisConfig = { rules: {} };

export const SEVERITY_SETTINGS: SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error', 'default'];

export function isSeveritySetting(v: unknown): v is SeveritySetting {
  return typeof v === 'string' && (SEVERITY_SETTINGS as string[]).includes(v);
}

/** The severity a rule runs at, or undefined when it is turned off. */
export function effectiveSeverity(rule: { id: string; defaultSeverity: Severity }, config: AnalysisConfig): Severity | undefined {
  const setting = config.rules[rule.id];
  if (setting === 'off') return undefined;
  if (setting === undefined || setting === 'default') return rule.defaultSeverity;
  return setting;
}

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
