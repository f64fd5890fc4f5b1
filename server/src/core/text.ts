/** Offsets are UTF-16 code unit indexes, the unit of both JavaScript strings and LSP positions. */
export interface Position {
  line: number;
  character: number;
}

/** Converts between offsets and 0-based line/character positions of one text. */
export class LineIndex {
  private own?: number[];

  /**
   * `known`, when given, reads the offsets where lines begin from the caller while they still
   * belong to this text (an editor buffer's, which its next edit changes in place), or gives
   * undefined once they do not; the index then reads them from the text itself, once.
   */
  constructor(
    readonly text: string,
    private readonly known?: () => number[] | undefined,
  ) {}

  private get starts(): number[] {
    if (this.own) return this.own;
    const known = this.known?.();
    if (known) return known;
    const own = [0];
    for (let i = 0; i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) own.push(i + 1);
    }
    return (this.own = own);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    const end = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] - 1 : this.text.length;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return this.text.slice(start, next).replace(/\r$/, '');
  }
}

/** Where the line that holds `offset` starts, and its indentation. */
export function indentAt(text: string, offset: number): { lineStart: number; indent: string } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { lineStart, indent: text.slice(lineStart, end) };
}
