import { parse as parseToml } from 'smol-toml';
import type { CrateInfo } from '../../rust/project/crate';
import type { TextEdit } from '../../core/findings';

/** Dependency lines the conversion fixes add, as a Rust developer would write them by hand. */
export const NEW_DEPENDENCIES: Record<string, string> = {
  'ic-stable-structures': '"0.7"',
  ciborium: '"0.2"',
  serde: '{ version = "1", features = ["derive"] }',
};

function declared(manifestText: string): Set<string> {
  try {
    const doc = parseToml(manifestText) as Record<string, unknown>;
    const deps = doc.dependencies;
    return new Set(deps && typeof deps === 'object' ? Object.keys(deps) : []);
  } catch {
    return new Set();
  }
}

/**
 * Edits that add the missing dependencies at the end of `[dependencies]`, one line each, so that
 * fixes applied together add each line once. TOML is edited as lines: the rest keeps its format.
 */
export function dependencyEdits(crate: CrateInfo, names: string[]): TextEdit[] {
  const file = crate.manifest;
  const text = crate.manifestText;
  if (!file || text === undefined) return [];
  const have = declared(text);
  const missing = names.filter((n) => !have.has(n));
  if (missing.length === 0) return [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const offsets: number[] = [];
  let pos = 0;
  for (const l of lines) {
    offsets.push(pos);
    pos += l.length + (text.startsWith('\r\n', pos + l.length) ? 2 : 1);
  }
  const header = lines.findIndex((l) => /^\s*\[dependencies\]\s*(#.*)?$/.test(l));
  const out: TextEdit[] = [];
  let at: number;
  if (header < 0) {
    // No table yet: it goes at the end after a blank line, before the final line break if there is one.
    at = text.endsWith(eol) ? text.length - eol.length : text.length;
    out.push({ file, start: at, end: at, newText: `${at > 0 ? eol : ''}${eol}[dependencies]` });
  } else {
    let last = header;
    for (let i = header + 1; i < lines.length && !/^\s*\[/.test(lines[i]); i++) {
      const t = lines[i].trim();
      if (t !== '' && !t.startsWith('#')) last = i;
    }
    at = offsets[last] + lines[last].length;
  }
  for (const name of missing) out.push({ file, start: at, end: at, newText: `${eol}${name} = ${NEW_DEPENDENCIES[name]}` });
  return out;
}
