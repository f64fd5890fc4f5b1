/**
 * Inline expectations in fixture sources, in the style of rust-analyzer's annotations:
 *
 *     static USERS: RefCell<HashMap<u64, User>> = ...;
 *     //     ^^^^^ heap-state-lost-on-upgrade: wiped on every upgrade
 *
 * The carets sit under the flagged span of the nearest code line above (literal columns); the rule
 * id is required and the text after ':' must occur in the message. A file whose first line is
 * `// expect: no diagnostics` must produce no finding at all.
 */
export interface Expectation {
  rule: string;
  line: number;
  column: number;
  endColumn: number;
  message?: string;
  markerLine: number;
}

const MARKER = /^(\s*\/\/)(\s*)(\^+)\s+([A-Za-z0-9-]+)(?::\s*(.*?))?\s*$/;

export function isMarkerLine(line: string): boolean {
  return MARKER.test(line);
}

export function parseMarkers(text: string): Expectation[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: Expectation[] = [];
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (!m) return;
    let target = i - 1;
    while (target >= 0 && isMarkerLine(lines[target])) target--;
    const column = m[1].length + m[2].length;
    out.push({ rule: m[4], line: target, column, endColumn: column + m[3].length, message: m[5] || undefined, markerLine: i });
  });
  return out;
}

export function expectsNothing(text: string): boolean {
  return /^\/\/\s*expect:\s*no diagnostics/.test(text);
}

/** `// check: all` on the first lines widens a rule fixture to every rule's findings. */
export function checksAllRules(text: string): boolean {
  return /^\/\/\s*check:\s*all\b/m.test(text.split('\n').slice(0, 3).join('\n'));
}
