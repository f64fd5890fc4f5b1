import { suppressionsFromComments } from '../../core/suppressions';
import type { Node } from '../syntax/treeSitter';
import type { LineIndex } from '../../core/text';
import type { SuppressionComment } from '../../core/loc';

/**
 * Reads `// stable-lens-ignore <ids>: <reason>` comments. Which lines are comments comes from the
 * syntax tree; the comment text is parsed by the shared code in core/suppressions.ts.
 */
export function extractSuppressions(file: string, root: Node, lines: LineIndex): SuppressionComment[] {
  const comments = root.descendantsOfType('line_comment').filter((c): c is Node => c !== null);
  return suppressionsFromComments(
    file,
    comments.map((c) => ({ start: c.startIndex, end: c.endIndex, text: c.text })),
    lines,
  );
}
