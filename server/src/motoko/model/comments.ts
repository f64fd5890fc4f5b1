/** A comment of a Motoko source, in UTF-16 offsets. */
export interface Comment {
  start: number;
  end: number;
  text: string;
  /** True for `//` comments, false for (possibly nested) `/* … *\/` ones. */
  line: boolean;
}

/**
 * Finds the comments of a Motoko text. The compiler's AST has no comments, so this small lexer
 * skips text and character literals and follows nested block comments; nothing else is parsed.
 */
export function scanComments(text: string): Comment[] {
  const out: Comment[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      if (text[end - 1] === '\r') end--;
      out.push({ start: i, end, text: text.slice(i, end), line: true });
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      let j = i;
      while (j < n) {
        if (text[j] === '/' && text[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (text[j] === '*' && text[j + 1] === '/') {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      out.push({ start: i, end: j, text: text.slice(i, j), line: false });
      i = j;
    } else if (c === '"' || (c === "'" && isCharLiteral(text, i))) {
      i = skipLiteral(text, i, c);
    } else i++;
  }
  return out;
}

/** A `'` starts a character literal only when a closing quote follows within one escape or character. */
function isCharLiteral(text: string, i: number): boolean {
  const close = text[i + 1] === '\\' ? text.indexOf("'", i + 2) : text.codePointAt(i + 1)! > 0xffff ? i + 3 : i + 2;
  return close > i && close - i < 16 && text[close] === "'";
}

function skipLiteral(text: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The text with every comment replaced by spaces, so offsets stay valid for keyword searches. */
export function blankComments(text: string, comments: Comment[] = scanComments(text)): string {
  let out = '';
  let at = 0;
  for (const c of comments) {
    out += text.slice(at, c.start) + text.slice(c.start, c.end).replace(/[^\n]/g, ' ');
    at = c.end;
  }
  return out + text.slice(at);
}
