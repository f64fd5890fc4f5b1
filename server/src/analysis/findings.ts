import type { Finding } from '../rules/types';

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
