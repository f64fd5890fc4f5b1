/**
 * The stable-layout lockfile: what a deployed canister's stable memory promises, recorded so the
 * next version can be checked against it. Written as `stable-layout.lock.json` at each canister root.
 */
export const LOCKFILE_NAME = 'stable-layout.lock.json';
export const LOCKFILE_VERSION = 1;

export interface LockedType {
  /** As written in the source. */
  written: string;
  /** With aliases resolved and paths reduced, for comparison. */
  normalized: string;
}

export interface LockedStructure {
  name: string;
  kind: string;
  /** StableLog uses two ids: its index and its data memory. */
  role?: 'index' | 'data';
  key?: LockedType;
  value?: LockedType;
  element?: LockedType;
  constructor: string;
  /** The initial value of a StableCell, as written: an upgrade keeps the stored value instead. */
  initializer?: string;
}

export type LockedBound = { kind: 'unbounded' } | { kind: 'bounded'; maxSize: number | null; fixed: boolean | null } | { kind: 'unknown' };

export interface LockedField {
  name: string;
  type: string;
  serde: string[];
}

export interface LockedStorable {
  bound: LockedBound;
  encoder: string;
  fields: LockedField[];
}

export interface RustLock {
  version: number;
  language: 'rust';
  canister: string;
  library?: { name: string; version: string };
  memoryManager?: { bucketSize: number };
  /** MemoryId → the structure that owns it. */
  memoryIds: Record<string, LockedStructure>;
  /** Ids that were used once and must never be reused; kept forever once recorded. */
  retiredMemoryIds: number[];
  /** Every type stored in a structure (keys, values, elements and the types their fields hold). */
  storables: Record<string, LockedStorable>;
}

export type Lock = RustLock;

/** How a Motoko actor keeps its state: what the compiler's persistence flags and keywords made of it. */
export interface MotokoLockedPersistence {
  /** `persistent actor` (by keyword or `--default-persistent-actors`), or a plain actor with `stable` fields. */
  actor: 'persistent' | 'plain';
  /** The persistence flag the canister compiles with. */
  flag: string;
  /** `(with migration = …)`, `--enhanced-migration`, or none. */
  migration: 'none' | 'function' | 'enhanced';
}

export interface MotokoLockedVariable {
  kind: 'let' | 'var';
  /** As the stable signature has it, without the hashes the compiler appends to type names. */
  type: string;
  /** The initial value as written: an upgrade keeps the stored value instead. */
  initializer?: string;
}

/** One Motoko canister as deployed: its stable signature and what the source said about its variables. */
export interface MotokoLockedCanister {
  /** The main file, relative to the lockfile's folder, with forward slashes. */
  main: string;
  persistence: MotokoLockedPersistence;
  /** The stable signature (`.most`) line by line, so diffs show the variable that changed. */
  signature: string[];
  variables: Record<string, MotokoLockedVariable>;
}

/**
 * The lockfile of the Motoko canisters whose main files share a folder. It sits next to those main
 * files and is keyed by canister name (dfx.json or mops.toml), so one folder can hold several.
 */
export interface MotokoLock {
  version: number;
  language: 'motoko';
  canisters: Record<string, MotokoLockedCanister>;
}
