import * as path from 'node:path';
import { field } from '../syntax/syntax';
import { parseRust } from '../syntax/treeSitter';
import { inTestCode, isTestItem } from '../model/items';

// Parents are read again by every analysis of their crate (each keystroke in the editor): their
// answer is kept while the file's text stays the same string.
const byFile = new Map<string, { text: string; names: Set<string> }>();

/** `testModuleNames` of a file, from the last answer while its text is unchanged. */
function cachedTestModuleNames(file: string, text: string): Set<string> {
  const hit = byFile.get(file);
  if (hit?.text === text) return hit.names;
  if (byFile.size > 2000) byFile.clear();
  const names = testModuleNames(text);
  byFile.set(file, { text, names });
  return names;
}

/** The `mod x;` declarations of a file that only tests or benchmarks build (`#[cfg(test)] mod x;`, or inside test code). */
export function testModuleNames(text: string): Set<string> {
  const out = new Set<string>();
  if (!text.includes('mod ')) return out;
  const tree = parseRust(text);
  try {
    for (const m of tree.rootNode.descendantsOfType('mod_item')) {
      if (!m || field(m, 'body')) continue;
      const name = field(m, 'name')?.text;
      if (name && (isTestItem(m) || inTestCode(m))) out.add(name);
    }
  } finally {
    tree.delete();
  }
  return out;
}

/** The files that could declare `file` as a module, and the name they would give it. */
function parentsOf(file: string): { name: string; parents: string[] } | undefined {
  const base = path.basename(file);
  if (base === 'lib.rs' || base === 'main.rs' || !base.endsWith('.rs')) return undefined;
  const own = base === 'mod.rs' ? path.dirname(file) : file.slice(0, -3);
  const dir = path.dirname(own);
  return { name: path.basename(own), parents: ['mod.rs', 'lib.rs', 'main.rs'].map((p) => path.join(dir, p)).concat(`${dir}.rs`) };
}

/**
 * Tells whether a file of a crate is compiled only for tests or benchmarks, because a parent module
 * declares it under a test `cfg` (or is such a file itself). Asked only for files that have a
 * finding; a parent is parsed again only once its text changes.
 */
export class TestFiles {
  private readonly verdicts = new Map<string, boolean>();

  constructor(private readonly textOf: (file: string) => string | undefined) {}

  isTest(file: string, depth = 0): boolean {
    const known = this.verdicts.get(file);
    if (known !== undefined) return known;
    let verdict = false;
    const up = depth < 16 ? parentsOf(file) : undefined;
    for (const parent of up?.parents ?? []) {
      const text = parent === file ? undefined : this.textOf(parent);
      if (text === undefined) continue;
      const names = cachedTestModuleNames(parent, text);
      // lib.rs and main.rs may both sit there: either one declaring it for tests is enough.
      if (names.has(up!.name) || this.isTest(parent, depth + 1)) verdict = true;
    }
    this.verdicts.set(file, verdict);
    return verdict;
  }
}
