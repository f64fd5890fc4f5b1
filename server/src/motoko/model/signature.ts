/** Splits on `;` outside brackets. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ';' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

/** The body of the last balanced `{…}` group that starts at or after `from`. */
function lastRecord(text: string, from: number): string | undefined {
  let found: string | undefined;
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '{') continue;
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    found = text.slice(i + 1, j);
    i = j;
  }
  return found;
}

/**
 * The stable variables of a `.most` signature with their types. The signature's own grammar is
 * small (`stable var x : T`); type names lose the hash the compiler appends (`User__6128` is `User`).
 * With a migration (`actor ({in …}, {stable …})`) the last record is the new actor's.
 */
export function stableVariables(most: string): Map<string, { kind: 'var' | 'let'; type: string }> {
  const out = new Map<string, { kind: 'var' | 'let'; type: string }>();
  const actor = most.search(/^actor\b/m);
  if (actor < 0) return out;
  const body = lastRecord(most, actor);
  for (const entry of splitTop(body ?? '')) {
    const m = /^stable\s+(var\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([\s\S]*)$/.exec(entry);
    if (m) out.set(m[2], { kind: m[1] ? 'var' : 'let', type: m[3].replace(/__\d+/g, '').replace(/\s+/g, ' ').trim() });
  }
  return out;
}
