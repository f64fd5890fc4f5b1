import type { Loc, SuppressionComment } from './loc';
import type { Finding, Fix, Severity } from './findings';
import { LineIndex } from './text';

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
        // A comment without a reason needs one written, not the id removed.
        const fixes = message && s.reason ? [removeRuleFix(s, i, lineIndex(s.loc.file))] : undefined;
        if (message) kept.push({ rule: UNUSED_SUPPRESSION, severity: unusedSeverity, message, loc, tags: ['unnecessary'], fixes });
      });
      if (s.rules.length === 0) {
        const fixes = [removeCommentFix(s, lineIndex(s.loc.file))];
        kept.push({
          rule: UNUSED_SUPPRESSION,
          severity: unusedSeverity,
          message: 'This stable-lens-ignore comment names no rule',
          loc: s.loc,
          tags: ['unnecessary'],
          fixes,
        });
      }
    }
  }
  return kept;
}

/** Removes one rule id from a comment with the separator next to it, or the whole comment when it names nothing else. */
function removeRuleFix(s: SuppressionComment, i: number, lines: LineIndex): Fix {
  const rule = s.rules[i];
  if (s.rules.length === 1) return { ...removeCommentFix(s, lines), title: `Remove the suppression of ${rule}` };
  const at = s.ruleLocs[i];
  const next = s.ruleLocs[i + 1];
  // Not the last id: up to the next one. The last: back to the end of the one before.
  const [start, end] = next ? [at.start, next.start] : [s.ruleLocs[i - 1].end, at.end];
  return { title: `Remove ${rule} from this suppression`, kind: 'safe', edits: [{ file: s.loc.file, start, end, newText: '' }] };
}

/** Deletes a comment: its whole line when nothing else is on it, else the comment and the spaces before it. */
function removeCommentFix(s: SuppressionComment, lines: LineIndex): Fix {
  const title = 'Remove this suppression';
  const line = lines.position(s.loc.start).line;
  const lineStart = lines.lineStart(line);
  const text = lines.text;
  if (text.slice(lineStart, s.loc.start).trim() === '') {
    const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
    return { title, kind: 'safe', edits: [{ file: s.loc.file, start: lineStart, end, newText: '' }] };
  }
  let start = s.loc.start;
  while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { title, kind: 'safe', edits: [{ file: s.loc.file, start, end: s.loc.end, newText: '' }] };
}

export { LineIndex };
