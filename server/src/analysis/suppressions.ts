import type { RustFileFacts, SuppressionComment } from '../model/types';
import type { Finding, Severity } from '../rules/types';
import { LineIndex } from '../util/text';

export const UNUSED_SUPPRESSION = 'unused-suppression';

/**
 * Drops findings that a `stable-lens-ignore` comment covers, then reports the comments that covered
 * nothing, named unknown rules or gave no reason.
 */
export function applySuppressions(
  findings: Finding[],
  files: RustFileFacts[],
  lineIndex: (file: string) => LineIndex,
  knownRules: Set<string>,
  activeRules: Set<string>,
  unusedSeverity: Severity | undefined,
): Finding[] {
  const byFile = new Map<string, SuppressionComment[]>();
  for (const f of files) if (f.suppressions.length) byFile.set(f.file, f.suppressions);
  const used = new Set<string>();
  const key = (s: SuppressionComment, rule: string) => `${s.loc.file}:${s.loc.start}:${rule}`;
  const kept = findings.filter((finding) => {
    const comments = byFile.get(finding.loc.file);
    if (!comments) return true;
    const line = lineIndex(finding.loc.file).position(finding.loc.start).line;
    const match = comments.find((s) => s.reason && s.rules.includes(finding.rule) && (s.scope === 'file' || s.targetLine === line));
    if (!match) return true;
    used.add(key(match, finding.rule));
    return false;
  });
  if (!unusedSeverity) return kept;
  for (const comments of byFile.values()) {
    for (const s of comments) {
      s.rules.forEach((rule, i) => {
        const loc = s.ruleLocs[i] ?? s.loc;
        let message: string | undefined;
        if (!knownRules.has(rule)) message = `\`${rule}\` is not a Stable Lens rule`;
        else if (!s.reason) message = `This suppression of \`${rule}\` has no reason after ':', so it suppresses nothing`;
        else if (activeRules.has(rule) && !used.has(key(s, rule))) message = `Nothing here triggers \`${rule}\`: the suppression is unused`;
        if (message) kept.push({ rule: UNUSED_SUPPRESSION, severity: unusedSeverity, message, loc, tags: ['unnecessary'] });
      });
      if (s.rules.length === 0) {
        kept.push({ rule: UNUSED_SUPPRESSION, severity: unusedSeverity, message: 'This stable-lens-ignore comment names no rule', loc: s.loc, tags: ['unnecessary'] });
      }
    }
  }
  return kept;
}

export { LineIndex };
