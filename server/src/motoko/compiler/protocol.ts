import type { Loc } from '../../core/loc';
import type { MotokoFileModel } from '../model/model';

/** What a compiler needs to know about a project; plain data, sent to the worker as is. */
export interface CompilerSetup {
  root: string;
  /** Every `.mo` file of the project, read from disk by the compiler's side. */
  files: string[];
  /** Package name to absolute folder of its sources. */
  packages: { name: string; dir: string }[];
  /** Mounts the `core` package bundled with the compiler (mops.toml declares it but it is not installed). */
  bundledCore: boolean;
}

/** One diagnostic of the compiler, with its range converted to UTF-16 offsets of `file`. */
export interface CompilerDiagnostic {
  loc: Loc;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

export interface CheckResult {
  file: string;
  /** Undefined when the file did not parse at all. */
  model?: MotokoFileModel;
  /** False when the compiler could not run (it crashed, timed out or failed to load). */
  compiled: boolean;
  diagnostics: CompilerDiagnostic[];
  /** The texts the compiler saw for files other than `file` that have diagnostics. */
  texts: Record<string, string>;
  /** Errors inside packages: never shown, but they stop the compiler like any other. */
  hiddenErrors?: number;
  /** Milliseconds spent in the compiler for this check. */
  ms: number;
  /** Why the compiler could not run, for the log. */
  failure?: string;
}

export interface SignatureResult {
  file: string;
  /** The stable signature (`.most` text), when the program compiles. */
  most?: string;
  error?: string;
  ms: number;
}

/** The compiler's verdict (`stableCompatible`) on upgrading from a previous stable signature to the current one. */
export interface CompatibilityResult {
  /** M0169, M0170, M0216, M0255, M0263…: the compiler gives them no source location. */
  diagnostics: { code: string; severity: 'error' | 'warning'; message: string }[];
  /** Why the check could not run (a signature that does not parse). */
  error?: string;
  ms: number;
}

/** A previous version of a canister compiled from other texts (a git revision): its signature and its main file's model. */
export interface SnapshotResult {
  signature: SignatureResult;
  model?: MotokoFileModel;
}

/** Messages to the compiler worker. `flags` is always the full set: the compiler's flags are sticky. */
export type WorkerRequest =
  | { id: number; type: 'setup'; setup: CompilerSetup }
  | { id: number; type: 'update'; files: { path: string; text: string | null }[] }
  | { id: number; type: 'check'; file: string; flags: string[] }
  | { id: number; type: 'signature'; file: string; flags: string[] }
  | { id: number; type: 'compatible'; pre: string; post: string }
  | { id: number; type: 'snapshot'; main: string; files: { path: string; text: string }[]; flags: string[] };

export type WorkerResponse =
  | { id: number; type: 'done'; heapUsed: number }
  | { id: number; type: 'check'; result: CheckResult; heapUsed: number }
  | { id: number; type: 'signature'; result: SignatureResult; heapUsed: number }
  | { id: number; type: 'compatible'; result: CompatibilityResult; heapUsed: number }
  | { id: number; type: 'snapshot'; result: SnapshotResult; heapUsed: number }
  | { id: number; type: 'error'; message: string; heapUsed: number };

/** A check result for when the compiler could not run (crashed, hung or failed to load). */
export function failedCheck(file: string, failure: string): CheckResult {
  return { file, compiled: false, diagnostics: [], texts: {}, ms: 0, failure };
}
