import type { Finding } from '../../core/findings';
import type { MotokoCompilerDiagnostics } from '../../core/config';

/**
 * Compiler codes about stable variables and upgrades: non-stable types (M0131–M0133), the upgrade
 * verdicts (M0169, M0170, M0216), migrations (M0201–M0209) and persistence (M0218–M0220).
 */
const UPGRADE_CODES = new Set([
  'M0131',
  'M0132',
  'M0133',
  'M0169',
  'M0170',
  'M0216',
  ...Array.from({ length: 9 }, (_, i) => `M0${201 + i}`),
  'M0218',
  'M0219',
  'M0220',
]);

/** A redundant `stable` changes nothing: worth a hint, not a warning. */
const HINTS = new Set(['M0218']);

/**
 * Which compiler findings are shown. `upgrade` (the default) keeps the codes about persistence and
 * upgrades, and errors that stop a file from compiling when a canister builds that file; the other
 * lints (unused names, deprecations) are the official Motoko extension's job. `all` keeps every
 * finding, `none` none. A file with a syntax error (M0001) shows only its first one: what the parser
 * recovered into afterwards yields errors that are not in the code.
 */
export function filterCompilerFindings(
  findings: Finding[],
  setting: MotokoCompilerDiagnostics = 'upgrade',
  built: (file: string) => boolean = () => true,
): Finding[] {
  if (setting === 'none') return [];
  const broken = new Set(findings.filter((f) => f.rule === 'M0001').map((f) => f.loc.file));
  const syntax = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (broken.has(f.loc.file)) {
      if (f.rule !== 'M0001' || syntax.has(f.loc.file)) continue;
      syntax.add(f.loc.file);
    }
    if (setting === 'all') out.push(f);
    else if (UPGRADE_CODES.has(f.rule)) out.push(HINTS.has(f.rule) ? { ...f, severity: 'hint' } : f);
    else if (f.severity === 'error' && built(f.loc.file)) out.push(f);
  }
  return out;
}

export function isMotokoCompilerDiagnostics(v: unknown): v is MotokoCompilerDiagnostics {
  return v === 'upgrade' || v === 'all' || v === 'none';
}
