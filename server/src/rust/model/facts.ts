import type { Loc, SuppressionComment } from '../../core/loc';

export type StructureKind = 'StableBTreeMap' | 'StableBTreeSet' | 'StableVec' | 'StableCell' | 'StableLog' | 'StableMinHeap';

/** A type as written, with its path resolved through `use` aliases. */
export interface TypeRef {
  /** The text as written in the source. */
  text: string;
  /** The last path segment after alias resolution (`StableBTreeMap`, `u64`, `User`), `()` for tuples, `[]` for arrays. */
  name: string;
  /** The full path when a `use` declaration or the source names it (`ic_stable_structures::BTreeMap`). */
  path: string;
  args: TypeRef[];
  /** The length of an array type `[T; N]` when it is a literal. */
  arrayLen?: number;
  loc: Loc;
}

export type Bound =
  | { kind: 'unbounded' }
  | {
      kind: 'bounded';
      maxSize?: number;
      maxSizeText: string;
      isFixed?: boolean;
      isFixedText: string;
    };

/** Where a MemoryId value comes from: a literal, or a const that holds one. */
export type IdRef = { kind: 'literal'; value: number; loc: Loc } | { kind: 'const'; name: string; loc: Loc };

export type MemorySource =
  /** `manager.get(ID)`, usually inside `MEMORY_MANAGER.with(|m| m.borrow().get(ID))`. */
  | { kind: 'memoryId'; id: IdRef; loc: Loc }
  /** A call to a crate function that returns a virtual memory. */
  | { kind: 'getter'; fn: string; args: IdRef[]; loc: Loc }
  /** `DefaultMemoryImpl::default()` given directly to a structure. */
  | { kind: 'default'; loc: Loc }
  | { kind: 'unknown'; text: string; loc: Loc };

export type Context = 'thread_local' | 'static' | 'function';

export interface ConstDecl {
  name: string;
  type: string;
  valueText: string;
  /** The integer value, for integer consts and `MemoryId::new(N)` consts. */
  value?: number;
  /** For `MemoryId::new(OTHER)` consts: the const the value comes from. */
  viaConst?: string;
  isMemoryId: boolean;
  loc: Loc;
  valueLoc: Loc;
}

/** A function that hands out a virtual memory: fixed (`get(USERS)`) or passing a parameter through (`get(id)`). */
export interface MemoryGetter {
  name: string;
  id?: IdRef;
  paramIndex?: number;
  loc: Loc;
}

export interface StructureDecl {
  /** The static, let binding or field the structure is stored in. */
  name: string;
  kind: StructureKind;
  /** The structure's type as declared (`StableBTreeMap<u64, User, Memory>`) or from a turbofish. */
  type?: TypeRef;
  key?: TypeRef;
  value?: TypeRef;
  elem?: TypeRef;
  /** The owner's declared type when it names the structure only through an alias (`RefCell<Users>`). */
  ownerType?: TypeRef;
  ctor: string;
  ctorLoc: Loc;
  memories: MemorySource[];
  context: Context;
  /** The enclosing function, when the constructor runs inside one. */
  fnName?: string;
  /** The initial value given to `StableCell::init(memory, value)`, as written. */
  initValue?: { text: string; loc: Loc };
  /** `.expect()`, `.unwrap()` or `?` right after the constructor call. */
  resultHandling?: { kind: 'expect' | 'unwrap' | 'try'; loc: Loc };
  nameLoc: Loc;
  loc: Loc;
}

export interface MemoryManagerDecl {
  name: string;
  ctor: string;
  /** The memory it wraps, as written (`DefaultMemoryImpl::default()`). */
  wraps: string;
  wrapsDefault: boolean;
  /** `MemoryManager::init_with_bucket_size(memory, pages)`: the bucket size in Wasm pages (the default is 128). */
  bucketSize?: { value?: number; text: string; loc: Loc };
  ctorLoc: Loc;
  nameLoc: Loc;
}

/** A `thread_local!`, `static` or `lazy_static!` holding heap state. */
export interface HeapStateDecl {
  name: string;
  type: TypeRef;
  /** The cell that makes it mutable (`RefCell`, `Cell`, `Mutex`...), or none. */
  wrapper?: string;
  /** The type inside the wrapper. */
  inner: TypeRef;
  context: 'thread_local' | 'static' | 'lazy_static';
  /** `static mut`: mutable without a cell. */
  mutable: boolean;
  initText: string;
  nameLoc: Loc;
  loc: Loc;
}

export type Encoder = 'candid' | 'cbor' | 'json' | 'bincode' | 'manual' | 'unknown';

export interface StorableImpl {
  typeName: string;
  trait: 'Storable' | 'BoundedStorable';
  bound?: Bound;
  /** The `Bounded` / `Unbounded` token, or the `MAX_SIZE` const of 0.5's BoundedStorable. */
  boundLoc?: Loc;
  /** The whole `BOUND` value (`Bound::Bounded { .. }`), for fixes that replace it. */
  boundValueLoc?: Loc;
  isFixedLoc?: Loc;
  maxSizeLoc?: Loc;
  encoder: Encoder;
  encoderLoc?: Loc;
  methods: { name: string; loc: Loc }[];
  /** The associated consts declared (`BOUND`, 0.5's `MAX_SIZE`), whatever their value. */
  consts?: { name: string; loc: Loc }[];
  traitLoc: Loc;
  typeLoc: Loc;
  loc: Loc;
}

export interface FieldDecl {
  name: string;
  type: TypeRef;
  /** Serde attributes as written inside `#[serde(...)]`: `default`, `rename = "x"`, `skip`. */
  serde: string[];
  loc: Loc;
}

export interface TypeDef {
  name: string;
  kind: 'struct' | 'enum';
  fields: FieldDecl[];
  /** Enum variants' payload types, for deciding whether an enum can vary in size. */
  variantTypes: TypeRef[];
  derives: string[];
  loc: Loc;
}

export interface TypeAlias {
  name: string;
  type: TypeRef;
  loc: Loc;
}

export interface CallSite {
  /** The path as written, without generics: `ic_cdk::storage::stable_save`, or a method name for `x.m()`. */
  path: string;
  name: string;
  isMethod: boolean;
  isMacro: boolean;
  loc: Loc;
  /** For `Type::f(..)`: the `Type` segment, for findings about the type rather than the function. */
  typeLoc?: Loc;
  /** The index of the top-level statement of the enclosing function body that contains the call. */
  stmt: number;
  /** True when the call's value is dropped: `f();` as a statement, or `let _ = f();`. */
  resultIgnored: boolean;
  /** For a method call: the static it works on, when the receiver or an enclosing `X.with(..)` names one. */
  target?: string;
  /** True when the call sits under an `if` or `match` of its function: it may not run (a loop over restored data still rebuilds what it calls). */
  conditional?: boolean;
  /** True when the call sits in a closure or future handed to a timer (`set_timer(d, || f())`): it runs later, in a message of its own. */
  deferred?: boolean;
  /** For a method call inside a closure handed to a function (`mutate_state(|s| s.users.insert(..))`): that function's name. */
  closureOf?: string;
  /** For a restore or decode call (`stable_restore`, `decode_one`, `from_reader`...): true when its error becomes a value instead of stopping the call. */
  swallowsError?: boolean;
}

export interface FunctionDecl {
  name: string;
  /** The upgrade-relevant attribute: `init`, `pre_upgrade`, `post_upgrade`, `update`, `query`. */
  hook?: 'init' | 'pre_upgrade' | 'post_upgrade';
  /** The entry point's attribute (`update`, `query`, `heartbeat`, ...); none for a function no message calls directly. */
  entry?: string;
  /** The type of the `impl` block the function belongs to (`impl Repo`, `impl Trait for Repo`): `Repo`. */
  implOf?: string;
  /** The `guard = "..."` function an entry point's attribute names: it runs before the method and may reject the caller. */
  guard?: string;
  calls: CallSite[];
  /** Identifiers in SCREAMING_CASE the body mentions: the statics it reads or writes. */
  statics: string[];
  /** Statics the body writes through `borrow_mut`, `set`, `replace` or `take`. */
  staticWrites: string[];
  /** Of those, the ones written outside any `if` or `match`: on every run of the function that returns (a loop over restored data rebuilds them). */
  certainWrites?: string[];
  /** Statics the body first touches by setting them to a constant (`*X.borrow_mut() = 0`, `X.set(None)`, `.clear()`), on every run. */
  resetsFirst?: string[];
  /** Statics the body writes with something other than a constant: a value that could hold data. */
  varyingWrites?: string[];
  /** Of those, the ones the body names again after the reset. */
  resetThenUsed?: string[];
  /** True when the body compares a length with something (`name.len() > MAX`, `assert!(b.len() <= N)`): it validates sizes. */
  checksLength?: boolean;
  stmtCount: number;
  nameLoc: Loc;
  loc: Loc;
  bodyLoc?: Loc;
}

/** Use of stable memory outside ic-stable-structures: raw writes, stable_save, ic-stable-memory. */
export interface RawStableUse {
  kind: 'stable_save' | 'stable_restore' | 'raw_write' | 'stable_writer' | 'ic_stable_memory';
  name: string;
  loc: Loc;
  fnName?: string;
}

export interface MemoryIdNewSite {
  id: IdRef;
  loc: Loc;
}

export interface UseDecl {
  /** The local name (alias or last segment). */
  local: string;
  path: string;
  isGlob: boolean;
  loc: Loc;
}

/** What one Rust file contributes to its crate's model. Plain data: cacheable by content. */
export interface RustFileFacts {
  file: string;
  uses: UseDecl[];
  consts: ConstDecl[];
  getters: MemoryGetter[];
  structures: StructureDecl[];
  managers: MemoryManagerDecl[];
  heapState: HeapStateDecl[];
  storables: StorableImpl[];
  types: TypeDef[];
  aliases: TypeAlias[];
  functions: FunctionDecl[];
  rawStable: RawStableUse[];
  memoryIdSites: MemoryIdNewSite[];
  /** Calls like `x.reclaim_memory(..)` whose meaning depends on the library version. */
  versionedCalls: CallSite[];
  suppressions: SuppressionComment[];
  /** True when the syntax tree has errors (half-typed code): findings are still produced. */
  hasSyntaxErrors: boolean;
}
