import type { Loc } from '../../core/loc';

/**
 * What Stable Lens knows about one Motoko file, extracted from the compiler's AST. Plain data, so
 * the compiler worker can send it to the language server as is.
 */
export interface MotokoFileModel {
  file: string;
  actors: MotokoActor[];
  imports: MotokoImport[];
  /** Set when the file did not parse even with error recovery (a lexer error). */
  parseError?: string;
}

export interface MotokoImport {
  /** As written: `mo:core/Map`, `Types`, `canister:backend`. */
  path: string;
  /** The name it is bound to (`Map`), when it is a plain identifier. */
  alias?: string;
  loc: Loc;
}

/** Which persistence an actor compiles with: `--legacy-actors`, the default, or `--default-persistent-actors`. */
export interface PersistenceMode {
  defaultPersistent: boolean;
  legacy: boolean;
}

export type Stability = 'stable' | 'transient';

/** Why a field has its stability, as the hover explains it. */
export type StabilityReason = 'keyword' | 'persistent-actor' | 'default-persistent-flag' | 'plain-actor';

export interface MotokoActor {
  name?: string;
  /** The actor's or class's name, when it has one. */
  nameLoc?: Loc;
  kind: 'actor' | 'actor class';
  loc: Loc;
  /** The `actor` keyword: M0220 points here, and `persistent ` goes before it. */
  actorKeyword: Loc;
  persistentKeyword?: Loc;
  /** Persistent by keyword or by `--default-persistent-actors`. */
  persistent: boolean;
  persistentBy?: 'keyword' | 'flag';
  /** `(with migration = …)` precedes the actor. */
  migration: boolean;
  fields: MotokoField[];
  functions: MotokoFunction[];
}

export interface MotokoField {
  /** Every name the declaration binds (`let (a, b) = …` binds two). */
  names: string[];
  nameLoc: Loc;
  kind: 'let' | 'var';
  /** The whole `DecField`, keywords included. */
  loc: Loc;
  /** Where `let`/`var` starts, after `public`/`private` and the stability keyword. */
  decStart: number;
  keyword?: { word: 'stable' | 'transient' | 'flexible'; loc: Loc };
  stability: Stability;
  reason: StabilityReason;
  /** The type annotation as written. */
  typeText?: string;
  /** The initial value as written (without the type annotation): deployed canisters keep their stored value instead. */
  initializer?: { text: string; loc: Loc };
  /** `Map`, `array`, `record of Map`…: set when the field holds a collection of data. */
  collection?: string;
  /** A class instance (`HashMap`, `Buffer`): not a stable type, so it cannot simply be made stable. */
  classBased: boolean;
}

export interface MotokoFunction {
  name: string;
  nameLoc: Loc;
  loc: Loc;
  visibility: 'public' | 'private' | 'system';
  sort: 'update' | 'query' | 'local';
  /** Actor fields the body assigns or mutates directly. */
  writes: { name: string; loc: Loc }[];
  /** Actor fields the body takes entries out of. */
  removes: string[];
  /** Actor fields the body assigns or puts entries into. */
  adds: string[];
  /** Actor fields the body mentions at all. */
  reads: string[];
  /** Actor-level functions the body calls. */
  calls: string[];
  /** Every statement is `a := b` between actor fields (vacuously true for an empty body). */
  copiesOnly: boolean;
  /** Those statements, as `[a, b]`. */
  copies: [string, string][];
}

export const UPGRADE_HOOKS = new Set(['preupgrade', 'postupgrade']);
