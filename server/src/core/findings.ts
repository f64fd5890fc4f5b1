import type { Loc } from './loc';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off' | 'default';

export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** Safe fixes keep behaviour and data; only they are applied by "fix all". */
  kind: 'safe' | 'unsafe';
  edits: TextEdit[];
}

export interface Related {
  loc: Loc;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  loc: Loc;
  related?: Related[];
  /** `unnecessary` fades the span in editors (an unused suppression). */
  tags?: ('unnecessary' | 'deprecated')[];
  fixes?: Fix[];
  /** Fixes too costly to build for every analysis: built on first use by `fixesOf`, e.g. when the editor asks for code actions. */
  lazyFixes?: () => Fix[] | undefined;
}

/** A finding's fixes, building lazy ones once. */
export function fixesOf(f: Finding): Fix[] {
  if (!f.fixes && f.lazyFixes) f.fixes = f.lazyFixes() ?? [];
  return f.fixes ?? [];
}

/**
 * What a rule reports. `severity` lowers a finding below the rule's configured severity when the
 * rule is less sure of it (never raises it): `info` for what may well be intended.
 */
export type Report = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

/** Drops repeated findings: two paths of one rule may report the same span with the same message. */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}:${f.loc.file}:${f.loc.start}:${f.loc.end}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
