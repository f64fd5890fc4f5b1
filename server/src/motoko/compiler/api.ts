import type { CheckResult, CompatibilityResult, CompilerSetup, SignatureResult, SnapshotResult } from './protocol';

/** Counters for the log and for tests: how much the compiler did and how often it was recreated. */
export interface CompilerStats {
  checks: number;
  signatures: number;
  /** Compilers created so far (the first start counts). */
  starts: number;
  /** The compiler's heap after its last answer, in bytes. */
  heapUsed: number;
}

/**
 * One Motoko compiler for one project. Requests are answered in order; a check of a file that is
 * still queued when a newer one arrives is dropped (it resolves to undefined).
 */
export interface MotokoCompiler {
  /** The project's files and packages; applied before the next request, and after every restart. */
  configure(setup: CompilerSetup): void;
  /** Editor buffers (`text`) or disk changes (`null`). Buffers are re-sent after a restart. */
  update(changes: { path: string; text: string | null }[]): void;
  check(file: string, flags: string[]): Promise<CheckResult | undefined>;
  signature(file: string, flags: string[]): Promise<SignatureResult>;
  /** The compiler's upgrade check of two `.most` texts (previous, current); about a millisecond. */
  compatible(pre: string, post: string): Promise<CompatibilityResult>;
  /** Compiles an older version of the project (other texts for its files) without touching the current one. */
  snapshot(main: string, files: { path: string; text: string }[], flags: string[]): Promise<SnapshotResult>;
  /** Drops the compiler (flags, caches and memory); the next request starts a fresh one. */
  restart(): void;
  dispose(): Promise<void>;
  readonly stats: CompilerStats;
}
