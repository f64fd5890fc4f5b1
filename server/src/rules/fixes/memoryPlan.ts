import type { CrateInfo } from '../../rust/project/crate';
import type { CanisterModel } from '../../rust/model/canister';
import type { HeapStateDecl, MemoryGetter, MemoryManagerDecl, TypeAlias } from '../../rust/model/facts';
import { field, named } from '../../rust/syntax/syntax';
import type { TextEdit } from '../../core/findings';
import { descendsFrom, FileImports, ISS, itemAnchor, MM, modulePath } from './fileImports';
import { indentAt, type SyntaxCache } from './syntaxCache';

export const MANAGER_NAME = 'MEMORY_MANAGER';
export const ALIAS_NAME = 'Memory';

interface Item {
  name: string;
  file: string;
  module: string[];
  nameStart: number;
}

/**
 * How the crate gets virtual memories, decided once per analysis so that every conversion fix
 * reuses the same MemoryManager and Memory alias: the existing ones, or new ones in one home file.
 */
export class MemoryPlan {
  private readonly manager?: Item;
  private readonly getter?: Item;
  private readonly alias?: Item;
  /** The file that receives a new MEMORY_MANAGER and alias when the crate has none. */
  readonly home?: string;

  constructor(
    readonly model: CanisterModel,
    readonly syntax: SyntaxCache,
    /** The statics that conversions will touch, in report order. */
    candidates: HeapStateDecl[],
  ) {
    const crate = model.crate;
    const item = (x: MemoryManagerDecl | MemoryGetter | TypeAlias, nameStart: number, file: string): Item | undefined => {
      const module = modulePath(crate, file);
      return module ? { name: x.name, file, module, nameStart } : undefined;
    };
    const mgr = model.managers[0];
    this.manager = mgr && item(mgr, mgr.nameLoc.start, mgr.nameLoc.file);
    const getter = model.files.flatMap((f) => f.getters).find((g) => g.paramIndex === 0 && syntax.paramCount(g.loc.file, g.loc.start) === 1);
    this.getter = getter && item(getter, getter.loc.start, getter.loc.file);
    const alias = model.files.flatMap((f) => f.aliases).find((a) => a.type.name === 'VirtualMemory');
    this.alias = alias && item(alias, alias.loc.start, alias.loc.file);
    if (!mgr) {
      const rooted = candidates.filter((c) => modulePath(crate, c.loc.file)?.length === 0);
      this.home = (rooted[0] ?? candidates.find((c) => modulePath(crate, c.loc.file)))?.loc.file;
    }
  }

  private get crate(): CrateInfo {
    return this.model.crate;
  }

  private reachable(from: string, it: Item): boolean {
    const module = modulePath(this.crate, from);
    if (!module) return from === it.file;
    return from === it.file || descendsFrom(module, it.module) || this.syntax.isPublic(it.file, it.nameStart);
  }

  private pathOf(it: Item): string {
    return [...it.module, it.name].join('::');
  }

  /** The expression that yields the virtual memory of `idConst` in `file`, or undefined when no manager is reachable. */
  memoryExpr(file: string, imports: FileImports, idConst: string): string | undefined {
    const viaManager = (name: string) => `${name}.with(|m| m.borrow().get(${idConst}))`;
    if (this.manager) {
      if (this.manager.file === file) return viaManager(this.manager.name);
      if (this.getter && this.reachable(file, this.getter))
        return `${this.getter.file === file ? this.getter.name : imports.ref(this.pathOf(this.getter))}(${idConst})`;
      if (this.reachable(file, this.manager)) return viaManager(imports.ref(this.pathOf(this.manager)));
      return undefined;
    }
    if (!this.home) return undefined;
    if (file === this.home) return viaManager(MANAGER_NAME);
    const homeModule = modulePath(this.crate, this.home);
    const module = modulePath(this.crate, file);
    if (!homeModule || !module || !descendsFrom(module, homeModule)) return undefined;
    return viaManager(imports.ref([...homeModule, MANAGER_NAME].join('::')));
  }

  /** Whether `file` gets its own `type Memory` because no alias is reachable from it. */
  localAlias(file: string): boolean {
    if (this.alias) return !this.reachable(file, this.alias);
    if (!this.manager && this.home) {
      const homeModule = modulePath(this.crate, this.home);
      const module = modulePath(this.crate, file);
      return file !== this.home && !(homeModule && module && descendsFrom(module, homeModule));
    }
    return true;
  }

  /** The memory type structures in `file` name: the alias, reached or created. */
  memoryType(file: string, imports: FileImports): string {
    if (this.localAlias(file))
      return imports.isFree(ALIAS_NAME) ? ALIAS_NAME : `${imports.ref(`${MM}::VirtualMemory`)}<${imports.ref(`${ISS}::DefaultMemoryImpl`)}>`;
    const it = this.alias ?? { name: ALIAS_NAME, file: this.home!, module: modulePath(this.crate, this.home!) ?? [], nameStart: -1 };
    return it.file === file ? it.name : imports.ref(this.pathOf(it));
  }

  /** The memory_manager names each fix imports together in `file`, so their `use` lines are identical. */
  mmNames(file: string): string[] {
    const names = ['MemoryId'];
    if (!this.manager && file === this.home) names.push('MemoryManager');
    if (this.createsAlias(file)) names.push('VirtualMemory');
    return names;
  }

  createsAlias(file: string): boolean {
    return (!this.alias && !this.manager && file === this.home) || (this.localAlias(file) && file !== this.home);
  }

  /**
   * Shared items: a line break opening the block of new items, the new alias and manager. Every fix
   * emits the same edits, so fixes applied together write them once; the fix's consts follow.
   */
  sharedItems(file: string, imports: FileImports): TextEdit[] {
    const { offset: at, separator } = itemAnchor(this.syntax, file);
    const out: TextEdit[] = separator ? [{ file, start: at, end: at, newText: '\n' }] : [];
    if (this.createsAlias(file) && imports.isFree(ALIAS_NAME)) {
      const vm = imports.ref(`${MM}::VirtualMemory`);
      out.push({ file, start: at, end: at, newText: `type ${ALIAS_NAME} = ${vm}<${imports.ref(`${ISS}::DefaultMemoryImpl`)}>;\n\n` });
    }
    return out;
  }

  /** The new MEMORY_MANAGER, first in the home file's `thread_local!` that holds the first converted static there. */
  managerEdits(firstInHome: HeapStateDecl, homeImports: FileImports): TextEdit[] {
    if (this.manager || !this.home) return [];
    const file = this.home;
    const text = this.syntax.text(file);
    const macro = this.syntax
      .root(file)
      .descendantsOfType('macro_invocation')
      .find((m) => m && m.startIndex <= firstInHome.loc.start && firstInHome.loc.end <= m.endIndex);
    const body = macro && named(macro).find((c) => c.type === 'token_tree');
    if (!body || field(macro, 'macro')?.text.split('::').pop() !== 'thread_local') return [];
    const dm = homeImports.ref(`${ISS}::DefaultMemoryImpl`);
    const mm = homeImports.ref(`${MM}::MemoryManager`);
    const cell = homeImports.ref('std::cell::RefCell');
    const decl = `static ${MANAGER_NAME}: ${cell}<${mm}<${dm}>> =`;
    const init = `${cell}::new(${mm}::init(${dm}::default()));`;
    const nl = text.indexOf('\n', body.startIndex);
    // A one-line `thread_local!(static X: .. = ..);` gets the manager inside the same brackets.
    if (nl < 0 || nl > firstInHome.loc.start) return [{ file, start: body.startIndex + 1, end: body.startIndex + 1, newText: `${decl} ${init} ` }];
    const ind = indentAt(text, firstInHome.loc.start);
    return [{ file, start: nl + 1, end: nl + 1, newText: `${ind}${decl}\n${ind}    ${init}\n` }];
  }

  /** Whether a manager will exist: found in the crate, or created by the fix. */
  get available(): boolean {
    return this.manager !== undefined || this.home !== undefined;
  }
}
