// The memory map's wire format: plain types, read by the CLI's JSON output, the server and the client's view.

/** The JSON shared by `stable-lens map --json`, the `stableLens/memoryMap` request and the Memory Map view. */
export interface MemoryMapJson {
  version: 1;
  /** Rust canisters (`language: 'rust'`, MemoryIds) and Motoko canisters (`language: 'motoko'`, stable variables). */
  canisters: (CanisterMapJson | MotokoCanisterMapJson)[];
}

/** A Motoko canister: its actor's stable variables, which enhanced orthogonal persistence keeps across upgrades. */
export interface MotokoCanisterMapJson {
  name: string;
  language: 'motoko';
  root: string;
  /** The main actor file, relative like every other path. */
  main: string;
  /** Persistent by keyword or by `--default-persistent-actors`. */
  persistent: boolean;
  stableVariables: MotokoVariableJson[];
  /** Fields emptied on every upgrade, listed so nothing is lost by surprise. */
  transientVariables: MotokoVariableJson[];
  /** The compiler semantics Stable Lens assumed and why (`classic actors (--legacy-actors) · mops.toml …`). */
  toolchain?: string;
  /** Why the types are as written rather than compiled, when the program did not compile. */
  signatureError?: string;
}

export interface MotokoVariableJson {
  name: string;
  /** `var` (reassignable) or `let`. */
  kind: 'var' | 'let';
  /** From the compiled stable signature (type names without their hash), else as annotated. */
  type?: string;
  location: SourceRef;
}

export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export interface StructureJson {
  name: string;
  kind: string;
  role?: 'index' | 'data';
  key?: string;
  value?: string;
  element?: string;
  keyBound?: string;
  valueBound?: string;
  encoder?: string;
  constructor: string;
  via?: string;
  location: SourceRef;
}

export interface CanisterMapJson {
  name: string;
  language: 'rust';
  root: string;
  library?: string;
  memoryManagers: { name: string; location: SourceRef }[];
  ids: { id: number; structures: StructureJson[] }[];
  /** Structures whose MemoryId the analyzer could not resolve statically. */
  unresolved: StructureJson[];
  freeIds: number;
  nextFreeId?: number;
  conflicts: { id: number; structures: string[] }[];
}
