import { HOOK_METHODS } from './functions';
import { LATEST_STABLE_STRUCTURES, type CrateInfo, type LibVersion } from '../project/crate';
import type {
  CallSite,
  ConstDecl,
  FunctionDecl,
  IdRef,
  MemoryGetter,
  MemorySource,
  RustFileFacts,
  StorableImpl,
  StructureDecl,
  TypeAlias,
  TypeDef,
  TypeRef,
} from './facts';
import type { Loc } from '../../core/loc';
import { boundOf, holdsUnbounded, type BoundInfo, type BoundLookup } from './bounds';

/** One memory a structure uses, with the MemoryId it resolves to when the analyzer can tell. */
export interface MemorySlot {
  structure: StructureDecl;
  /** StableLog takes two memories: index (0) and data (1). */
  role?: 'index' | 'data';
  source: MemorySource;
  id?: number;
  /** The const or getter the id goes through, if any. */
  via?: string;
  /** Where the id value itself is written (the literal or the const's value). */
  idLoc?: Loc;
}

export const MAX_MEMORY_ID = 254;

/** A file whose facts are extracted only when asked for, or the part of a file left for later. */
export interface LazyFacts {
  file: string;
  /** The text lookups by name search: the file's, or the part's. */
  text: string;
  facts(): RustFileFacts;
  /**
   * True for the units of a file in `files` that were not read with it: `facts()` adds them to
   * that file's facts and returns what it added.
   */
  rest?: boolean;
}

export interface Reach {
  statics: Set<string>;
  staticWrites: Set<string>;
  calls: (CallSite & { fn: string })[];
  functions: Set<string>;
  /** The names of the functions reached, the hook itself included. */
  functionNames: Set<string>;
  /** Statics written on every run that returns: outside any branch, through calls outside any branch. */
  certainWrites: Set<string>;
  /** True when some function reached compares a length with a limit. */
  checksLength: boolean;
}

/** The stable-memory model of one Rust crate, assembled from its files' facts. */
export class CanisterModel implements BoundLookup {
  readonly version: LibVersion;
  private readonly consts = new Map<string, ConstDecl[]>();
  private readonly getterMap = new Map<string, MemoryGetter>();
  private readonly storableMap = new Map<string, StorableImpl>();
  private readonly typeMap = new Map<string, TypeDef>();
  private readonly aliasMap = new Map<string, TypeAlias>();
  private readonly fnMap = new Map<string, FunctionDecl[]>();
  private slotCache?: MemorySlot[];
  private functionList?: FunctionDecl[];
  /** Files of the crate that mention nothing stable: parsed only when a lookup needs a name they hold. */
  private readonly pending: LazyFacts[];
  private readonly loaded: RustFileFacts[] = [];
  private readonly misses = new Set<string>();

  constructor(
    readonly crate: CrateInfo,
    /** The files that mention stable memory, upgrade hooks or state: every rule looks at these. */
    readonly files: RustFileFacts[],
    lazy: LazyFacts[] = [],
  ) {
    this.version = crate.stableStructures ?? LATEST_STABLE_STRUCTURES;
    this.pending = [...lazy];
    files.forEach((f) => this.index(f));
  }

  private index(f: RustFileFacts): void {
    // Lists grow in place: a keystroke indexes every function of a big file, and a copy per
    // function was most of what one analysis allocated.
    for (const c of f.consts) add(this.consts, c.name, c);
    for (const g of f.getters) if (!this.getterMap.has(g.name)) this.getterMap.set(g.name, g);
    for (const s of f.storables) if (!this.storableMap.has(s.typeName)) this.storableMap.set(s.typeName, s);
    for (const t of f.types) if (!this.typeMap.has(t.name)) this.typeMap.set(t.name, t);
    for (const a of f.aliases) if (!this.aliasMap.has(a.name)) this.aliasMap.set(a.name, a);
    for (const fn of f.functions) add(this.fnMap, fn.name, fn);
  }

  /**
   * Parses the pending files whose text mentions `name` (after one of `keywords`, when given: `fn`,
   * `struct`...), so lookups by name see their items. The text test only picks files to parse.
   */
  private loadMentioning(name: string, keywords?: string[]): void {
    if (!name || this.pending.length === 0) return;
    // The same names (u64, String, Ok) are looked up again and again: a miss is remembered.
    const key = `${keywords?.join(',') ?? ''}:${name}`;
    if (this.misses.has(key)) return;
    const before = this.pending.length;
    this.loadMatching(name, keywords);
    if (this.pending.length === before) this.misses.add(key);
  }

  private loadMatching(name: string, keywords?: string[]): void {
    const needles = keywords ? keywords.map((k) => `${k} ${name}`) : [name];
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (needles.some((n) => this.pending[i].text.includes(n))) this.load(i);
    }
  }

  private load(i: number): void {
    const [lazy] = this.pending.splice(i, 1);
    const facts = lazy.facts();
    // The rest of a file joins the facts already in `files`; only its lists are new to the maps.
    if (!lazy.rest) this.loaded.push(facts);
    this.functionList = undefined;
    this.index(facts);
  }

  /** The facts of one file of the crate, all of them, extracting now what was left for later. */
  factsOf(file: string): RustFileFacts | undefined {
    const i = this.pending.findIndex((l) => l.file === file);
    if (i >= 0) this.load(i);
    return this.files.find((f) => f.file === file) ?? this.loaded.find((f) => f.file === file);
  }

  /** The declared types of struct fields named `name`, in any file of the crate. */
  fieldTypes(name: string): TypeRef[] {
    this.loadMentioning(name);
    return [...this.files, ...this.loaded].flatMap((f) => f.types.flatMap((d) => d.fields)).flatMap((field) => (field.name === name ? [field.type] : []));
  }

  /** Functions, of any file of the crate, that mention the static `name`. */
  /** The functions that call `name` by name (methods and macros aside), read from every file that mentions it. */
  callersOf(name: string): FunctionDecl[] {
    this.loadMentioning(name);
    // A closure handed to a timer runs in a later message: the function that arms the timer does not call it.
    return [...this.files, ...this.loaded]
      .flatMap((f) => f.functions)
      .filter((fn) => fn.calls.some((c) => !c.isMethod && !c.isMacro && !c.deferred && c.name === name));
  }

  functionsMentioning(name: string): FunctionDecl[] {
    this.loadMentioning(name);
    return [...this.files, ...this.loaded].flatMap((f) => f.functions).filter((fn) => fn.statics.includes(name));
  }

  get structures(): StructureDecl[] {
    return this.files.flatMap((f) => f.structures);
  }

  get storables(): StorableImpl[] {
    return this.files.flatMap((f) => f.storables);
  }

  get allConsts(): ConstDecl[] {
    return this.files.flatMap((f) => f.consts);
  }

  get managers() {
    return this.files.flatMap((f) => f.managers);
  }

  /** Every rule about hooks asks for these, so the list is made once per analysis. */
  get functions(): readonly FunctionDecl[] {
    this.functionList ??= this.files.flatMap((f) => f.functions);
    return this.functionList;
  }

  get usesStableStructures(): boolean {
    return this.crate.stableStructures !== undefined || this.structures.length > 0 || this.managers.length > 0;
  }

  get usesStableMemory(): boolean {
    return this.crate.stableMemory !== undefined || this.files.some((f) => f.rawStable.some((r) => r.kind === 'ic_stable_memory'));
  }

  storable(name: string): StorableImpl | undefined {
    return this.storableMap.get(name);
  }

  /** The function declarations of a `Storable` impl's methods (`to_bytes`, `from_bytes`...). */
  methodsOf(imp: StorableImpl): FunctionDecl[] {
    return imp.methods.flatMap((m) =>
      this.functionsNamed(m.name).filter((f) => f.loc.file === m.loc.file && f.loc.start <= m.loc.start && m.loc.end <= f.loc.end),
    );
  }

  typeDef(name: string): TypeDef | undefined {
    if (!this.typeMap.has(name)) this.loadMentioning(name, ['struct', 'enum']);
    return this.typeMap.get(name);
  }

  alias(name: string): TypeRef | undefined {
    if (!this.aliasMap.has(name)) this.loadMentioning(name, ['type']);
    return this.aliasMap.get(name)?.type;
  }

  constsNamed(name: string): ConstDecl[] {
    if (!this.consts.has(name)) this.loadMentioning(name, ['const']);
    return this.consts.get(name) ?? [];
  }

  hooks(kind: NonNullable<FunctionDecl['hook']>): FunctionDecl[] {
    return this.functions.filter((f) => f.hook === kind);
  }

  /**
   * The functions a call may run: for `Type::f(..)`, the `f`s of `impl Type` blocks when the crate
   * has any (else every `f`, since the type may come from elsewhere); for a plain `f(..)`, every `f`.
   */
  calleesOf(c: CallSite): FunctionDecl[] {
    const all = this.functionsNamed(c.name);
    const segs = c.path.split('::');
    const owner = segs.length > 1 ? segs[segs.length - 2] : undefined;
    if (!owner || owner === 'Self' || !/^[A-Z]/.test(owner) || all.length < 2) return all;
    const own = all.filter((f) => f.implOf === owner);
    return own.length > 0 ? own : all.filter((f) => f.implOf === undefined || f.implOf === owner);
  }

  functionsNamed(name: string): FunctionDecl[] {
    // Same-named functions may sit in several files, so every file that mentions the name is read.
    this.loadMentioning(name, ['fn']);
    return this.fnMap.get(name) ?? [];
  }

  boundOf(t: TypeRef): BoundInfo {
    return boundOf(t, this);
  }

  holdsUnbounded(t: TypeRef): boolean {
    return holdsUnbounded(t, (n) => this.typeDef(n), this);
  }

  /** Follows a const chain (`A = MemoryId::new(B)`, `B: u8 = 3`) to its number. */
  resolveConst(name: string, seen = new Set<string>()): { value?: number; decl?: ConstDecl } {
    const decl = this.constsNamed(name)[0];
    if (!decl || seen.has(name)) return { decl };
    seen.add(name);
    if (decl.value !== undefined) return { value: decl.value, decl };
    if (decl.viaConst) return { value: this.resolveConst(decl.viaConst, seen).value, decl };
    return { decl };
  }

  resolveId(ref: IdRef): { value?: number; via?: string; idLoc?: Loc } {
    if (ref.kind === 'literal') return { value: ref.value, idLoc: ref.loc };
    const { value, decl } = this.resolveConst(ref.name);
    return { value, via: ref.name, idLoc: decl?.valueLoc };
  }

  private resolveSource(source: MemorySource): Pick<MemorySlot, 'id' | 'via' | 'idLoc'> {
    const slot = (r: { value?: number; via?: string; idLoc?: Loc }, via = r.via) => ({ id: r.value, via, idLoc: r.idLoc });
    if (source.kind === 'memoryId') return slot(this.resolveId(source.id));
    if (source.kind === 'getter') {
      const getter = this.getterMap.get(source.fn);
      if (!getter) return {};
      if (getter.id) return slot(this.resolveId(getter.id), source.fn);
      const arg = getter.paramIndex !== undefined ? (source.args[getter.paramIndex] ?? source.args[0]) : undefined;
      if (arg) return slot(this.resolveId(arg));
    }
    return {};
  }

  /** Every memory every structure uses, with resolved ids. */
  get slots(): MemorySlot[] {
    if (!this.slotCache) {
      this.slotCache = this.structures.flatMap((s) =>
        s.memories.map((source, i) => ({
          structure: s,
          role: s.kind === 'StableLog' ? (i === 0 ? 'index' : 'data') : undefined,
          source,
          ...this.resolveSource(source),
        })),
      );
    }
    return this.slotCache;
  }

  usedIds(): Set<number> {
    const used = new Set<number>();
    for (const s of this.slots) if (s.id !== undefined) used.add(s.id);
    for (const c of this.allConsts) {
      if (!c.isMemoryId) continue;
      const v = this.resolveConst(c.name).value;
      if (v !== undefined) used.add(v);
    }
    return used;
  }

  private claimed = new Set<number>();
  private reserved = new Set<number>();

  /** Ids a fix must never hand out: those a lockfile records as used or retired. */
  reserveIds(ids: Iterable<number>): void {
    for (const id of ids) this.reserved.add(id);
  }

  /** A free MemoryId for a fix. Successive calls in one analysis give distinct ids, so fixes applied together never collide. */
  claimFreeId(): number | undefined {
    const used = this.usedIds();
    for (let i = 0; i <= MAX_MEMORY_ID; i++) {
      if (used.has(i) || this.claimed.has(i) || this.reserved.has(i)) continue;
      this.claimed.add(i);
      return i;
    }
    return undefined;
  }

  lowestFreeId(): number | undefined {
    const used = this.usedIds();
    for (let i = 0; i <= MAX_MEMORY_ID; i++) if (!used.has(i)) return i;
    return undefined;
  }

  /**
   * What a function reaches through the crate's own functions: statics touched and calls made.
   * With `inCall`, only what runs in the function's own message: closures handed to timers are left out.
   */
  reach(fn: FunctionDecl, inCall = false): Reach {
    const out: Reach = {
      statics: new Set(),
      staticWrites: new Set(),
      calls: [],
      functions: new Set(),
      functionNames: new Set(),
      certainWrites: new Set(),
      checksLength: false,
    };
    // A function reached only through branches is visited once; reached on every path, once more for its certain writes.
    const certainlyRun = new Set<string>();
    const visit = (f: FunctionDecl, certain: boolean): void => {
      const key = `${f.nameLoc.file}:${f.nameLoc.start}`;
      const seen = out.functions.has(key);
      if (seen && (!certain || certainlyRun.has(key))) return;
      if (certain) {
        certainlyRun.add(key);
        f.certainWrites?.forEach((s) => out.certainWrites.add(s));
      }
      if (!seen) {
        out.functions.add(key);
        out.functionNames.add(f.name);
        f.statics.forEach((s) => out.statics.add(s));
        f.staticWrites.forEach((s) => out.staticWrites.add(s));
        if (f.checksLength) out.checksLength = true;
      }
      for (const c of f.calls) {
        if (!seen) out.calls.push({ ...c, fn: f.name });
        // A hook that delegates to the state's method of the same name (`s.pre_upgrade()`) runs that method's body.
        const delegates = c.isMethod && HOOK_METHODS.has(c.name);
        if ((c.isMethod && !delegates) || c.isMacro || (inCall && c.deferred)) continue;
        // Of several same-named functions, none is certain to be the one called.
        // A hook is followed only when called by its bare name (`init(args)` from post_upgrade), never for `StableBTreeMap::init`.
        const bare = !c.path.includes('::');
        const callees = delegates ? this.functionsNamed(c.name).filter((callee) => !callee.hook) : this.calleesOf(c).filter((callee) => !callee.hook || bare);
        for (const callee of callees) visit(callee, certain && !c.conditional && callees.length === 1);
      }
    };
    visit(fn, true);
    return out;
  }
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
