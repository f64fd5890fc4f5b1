import type { Loc, SuppressionComment } from '../model/types';
import type { Finding, Severity } from '../rules/types';
import { LineIndex } from '../util/text';

export const UNUSED_SUPPRESSION = 'unused-suppression';

/** A `//` comment of any language, in UTF-16 offsets. */
export interface LineComment {
  start: number;
  end: number;
  text: string;
}

const MARKER = /^\/\/\s*stable-lens-ignore(-file)?\b/;

/**
 * Reads `// stable-lens-ignore <ids>: <reason>` comments, in Rust and Motoko alike. Which lines are
 * comments comes from the language's own parser or lexer; only the comment text is parsed here.
 */
export function suppressionsFromComments(file: string, comments: LineComment[], lines: LineIndex): SuppressionComment[] {
  const out: SuppressionComment[] = [];
  const commentLines = new Set(comments.map((c) => lines.position(c.start).line));
  for (const c of comments) {
    const m = MARKER.exec(c.text);
    if (!m) continue;
    const rest = c.text.slice(m[0].length);
    const colon = rest.indexOf(':');
    const idsText = colon >= 0 ? rest.slice(0, colon) : rest;
    const reason = colon >= 0 ? rest.slice(colon + 1).trim() : '';
    const rules: string[] = [];
    const ruleLocs: Loc[] = [];
    const idRe = /[a-z0-9][a-z0-9-]*/g;
    for (let id = idRe.exec(idsText); id; id = idRe.exec(idsText)) {
      rules.push(id[0]);
      const start = c.start + m[0].length + id.index;
      ruleLocs.push({ file, start, end: start + id[0].length });
    }
    const line = lines.position(c.start).line;
    let target = line + 1;
    // Stacked comments (another ignore or an explanation) may sit between this one and the code.
    while (target < lines.lineCount && lines.lineText(target).trim().startsWith('//') && commentLines.has(target)) target++;
    out.push({ rules, reason, scope: m[1] ? 'file' : 'line', targetLine: m[1] ? -1 : target, loc: { file, start: c.start, end: c.end }, ruleLocs });
  }
  return out;
}

/**
 * Drops findings that a `stable-lens-ignore` comment covers, then reports the comments that covered
 * nothing, named unknown rules or gave no reason.
 */
export function applySuppressions(
  findings: Finding[],
  files: { file: string; suppressions: SuppressionComment[] }[],
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
