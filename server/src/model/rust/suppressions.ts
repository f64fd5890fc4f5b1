import { suppressionsFromComments } from '../../analysis/suppressions';
import type { Node } from '../../parsing/treeSitter';
import type { LineIndex } from '../../util/text';
import type { SuppressionComment } from '../types';

/**
 * Reads `// stable-lens-ignore <ids>: <reason>` comments. Which lines are comments comes from the
 * syntax tree; the comment text is parsed by the shared code in analysis/suppressions.ts.
 */
export function extractSuppressions(file: string, root: Node, lines: LineIndex): SuppressionComment[] {
  const comments = root.descendantsOfType('line_comment').filter((c): c is Node => c !== null);
  return suppressionsFromComments(
    file,
    comments.map((c) => ({ start: c.startIndex, end: c.endIndex, text: c.text })),
    lines,
  );
}
