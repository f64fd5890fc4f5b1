import type { Node } from '../../parsing/treeSitter';
import type { LineIndex } from '../../util/text';
import type { SuppressionComment } from '../types';

const MARKER = /^\/\/\s*stable-lens-ignore(-file)?\b/;

/**
 * Reads `// stable-lens-ignore <ids>: <reason>` comments. The comment text is the only thing parsed
 * here; which lines are code comes from the syntax tree.
 */
export function extractSuppressions(file: string, root: Node, lines: LineIndex): SuppressionComment[] {
  const out: SuppressionComment[] = [];
  const commentLines = new Set<number>();
  const comments = root.descendantsOfType('line_comment').filter((c): c is Node => c !== null);
  for (const c of comments) commentLines.add(c.startPosition.row);
  for (const c of comments) {
    const text = c.text;
    const m = MARKER.exec(text);
    if (!m) continue;
    const rest = text.slice(m[0].length);
    const colon = rest.indexOf(':');
    const idsText = colon >= 0 ? rest.slice(0, colon) : rest;
    const reason = colon >= 0 ? rest.slice(colon + 1).trim() : '';
    const rules: string[] = [];
    const ruleLocs = [];
    const idRe = /[a-z0-9][a-z0-9-]*/g;
    for (let id = idRe.exec(idsText); id; id = idRe.exec(idsText)) {
      rules.push(id[0]);
      const start = c.startIndex + m[0].length + id.index;
      ruleLocs.push({ file, start, end: start + id[0].length });
    }
    const line = lines.position(c.startIndex).line;
    let target = line + 1;
    // Stacked comments (another ignore or an explanation) may sit between this one and the code.
    while (target < lines.lineCount && isCommentOnlyLine(lines, target, commentLines)) target++;
    out.push({
      rules,
      reason,
      scope: m[1] ? 'file' : 'line',
      targetLine: m[1] ? -1 : target,
      loc: { file, start: c.startIndex, end: c.endIndex },
      ruleLocs,
    });
  }
  return out;
}

function isCommentOnlyLine(lines: LineIndex, line: number, commentLines: Set<number>): boolean {
  const text = lines.lineText(line).trim();
  return text.startsWith('//') && commentLines.has(line);
}
