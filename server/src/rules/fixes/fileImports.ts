import * as path from 'node:path';
import type { CrateInfo } from '../../rust/project/crate';
import type { RustFileFacts } from '../../rust/model/facts';
import type { TextEdit } from '../../core/findings';
import type { SyntaxCache } from './syntaxCache';

export const ISS = 'ic_stable_structures';
export const MM = `${ISS}::memory_manager`;

/** The module path of a crate file (`[]` for lib.rs), or undefined for files outside the module tree (src/bin). */
export function modulePath(crate: CrateInfo, file: string): string[] | undefined {
  if (!crate.manifest) return crate.files[0] === file ? [] : undefined;
  const rel = path.relative(path.join(crate.root, 'src'), file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  const last = parts.pop()!;
  if (parts[0] === 'bin') return undefined;
  if (parts.length === 0 && (last === 'lib.rs' || last === 'main.rs')) return [];
  return last === 'mod.rs' ? parts : [...parts, last.replace(/\.rs$/, '')];
}

/** Whether code in module `from` may name a private item of module `owner`: only from the owner and its descendants. */
export function descendsFrom(from: string[], owner: string[]): boolean {
  return owner.every((seg, i) => from[i] === seg);
}

/**
 * How one fix spells names in one file: the local name when a `use` already brings it in, a new
 * `use` line when the name is free, the full path otherwise. New lines are edits at the end of the
 * file's last top-level `use`; the memory_manager names share one line whose content the crate
 * plan fixes, so every fix of one analysis writes the identical line and applying several merges them.
 */
export class FileImports {
  private readonly needed = new Map<string, Set<string>>();

  constructor(
    readonly file: string,
    private readonly facts: RustFileFacts,
    private readonly syntax: SyntaxCache,
    /** The memory_manager names every fix imports together in this file. */
    private readonly mmNames: string[],
  ) {}

  /** The text that names `fullPath` (`ic_stable_structures::StableBTreeMap`, `memory::get_memory`) here. */
  ref(fullPath: string): string {
    const local = this.imported(fullPath);
    if (local) return local;
    const name = fullPath.split('::').pop()!;
    const module = fullPath.split('::').slice(0, -1).join('::');
    if (module === '' || !this.isFree(name)) return this.absolute(fullPath);
    this.needed.set(module, (this.needed.get(module) ?? new Set()).add(name));
    return name;
  }

  /** Like `ref` but never adds an import: derive paths read fine in full (`serde::Serialize`). */
  refNoImport(fullPath: string): string {
    return this.imported(fullPath) ?? fullPath;
  }

  /** The local name a `use` of this file gives `fullPath`, if any. */
  imported(fullPath: string): string | undefined {
    const name = fullPath.split('::').pop()!;
    const module = fullPath.split('::').slice(0, -1).join('::');
    const direct = this.facts.uses.find((u) => !u.isGlob && u.path === fullPath);
    if (direct) return direct.local;
    if (this.facts.uses.some((u) => u.isGlob && u.path === module) && this.isFree(name)) return name;
    return undefined;
  }

  /** True when nothing in this file already binds `name`. */
  isFree(name: string): boolean {
    const f = this.facts;
    return ![
      ...f.uses.filter((u) => !u.isGlob).map((u) => u.local),
      ...f.types.map((t) => t.name),
      ...f.aliases.map((a) => a.name),
      ...f.consts.map((c) => c.name),
      ...f.functions.map((fn) => fn.name),
      ...f.heapState.map((h) => h.name),
      ...f.structures.map((s) => s.name),
      ...f.managers.map((m) => m.name),
    ].includes(name);
  }

  private absolute(fullPath: string): string {
    return fullPath.startsWith(`${ISS}::`) || fullPath.startsWith('std::') || fullPath.startsWith('serde::') ? fullPath : `crate::${fullPath}`;
  }

  /** The `use` lines this fix needs, one edit per line so that fixes applied together share them. */
  edits(): TextEdit[] {
    if (this.needed.size === 0) return [];
    const at = importAnchor(this.syntax, this.file);
    const line = (module: string, names: string[]) => {
      const usePath = module.startsWith(`${ISS}`) || module.startsWith('std') || module.startsWith('serde') ? module : `crate::${module}`;
      return names.length === 1 ? `use ${usePath}::${names[0]};` : `use ${usePath}::{${names.join(', ')}};`;
    };
    const out: TextEdit[] = at.separator ? [insert(this.file, at.offset, '\n')] : [];
    const mm = this.needed.get(MM);
    if (mm) {
      const names = [...new Set([...this.mmNames, ...mm])].filter((n) => !this.imported(`${MM}::${n}`)).sort();
      out.push(insert(this.file, at.offset, at.prefix + line(MM, names) + at.suffix));
    }
    const single = [...this.needed].filter(([module]) => module !== MM).flatMap(([module, names]) => [...names].map((n) => line(module, [n])));
    for (const l of single.sort()) out.push(insert(this.file, at.offset, at.prefix + l + at.suffix));
    return out;
  }
}

function insert(file: string, offset: number, newText: string): TextEdit {
  return { file, start: offset, end: offset, newText };
}

/**
 * Where new `use` lines go: after the last top-level `use`. A file without one gets them above its
 * first item: on the blank line there (behind a shared line break, so the block keeps a blank line
 * on both sides), else at the end of the line before, so items can still go below them.
 */
export function importAnchor(syntax: SyntaxCache, file: string): { offset: number; prefix: string; suffix: string; separator?: boolean } {
  const root = syntax.root(file);
  const text = syntax.text(file);
  const uses = root.namedChildren.filter((c) => c?.type === 'use_declaration');
  const last = uses[uses.length - 1];
  if (last) {
    const nl = text.indexOf('\n', last.endIndex);
    return { offset: nl < 0 ? text.length : nl, prefix: '\n', suffix: '' };
  }
  const first = firstItemStart(syntax, file);
  if (first >= 2 && text[first - 1] === '\n' && text[first - 2] === '\n') return { offset: first - 1, prefix: '', suffix: '\n', separator: true };
  if (first >= 1) return { offset: first - 1, prefix: '\n', suffix: '' };
  return { offset: first, prefix: '', suffix: '\n' };
}

/**
 * Where new items (the Memory alias, MemoryId consts) go, below the imports on lines of their own,
 * and whether they open with a line break of their own (right below the last `use` line).
 */
export function itemAnchor(syntax: SyntaxCache, file: string): { offset: number; separator: boolean } {
  const at = importAnchor(syntax, file);
  const text = syntax.text(file);
  if (at.separator) return { offset: at.offset + 1, separator: false };
  if (at.prefix === '') return { offset: at.offset, separator: false };
  return { offset: at.offset < text.length ? at.offset + 1 : text.length, separator: true };
}

/** The start of the first line that is not a comment or an inner attribute. */
function firstItemStart(syntax: SyntaxCache, file: string): number {
  const root = syntax.root(file);
  const first = root.namedChildren.find((c) => c && !c.type.endsWith('comment') && c.type !== 'inner_attribute_item');
  if (!first) return syntax.text(file).length;
  return syntax.text(file).lastIndexOf('\n', first.startIndex - 1) + 1;
}
