/**
 * What the language server and the VS Code client agree on: custom methods, commands and settings.
 * Plain constants and types only, so the client can import this file without pulling in node code.
 */
import type { MemoryMapJson } from './memoryMap';
import type { SeveritySetting } from '../core/findings';

/** `stableLens/memoryMap`: the same JSON as `stable-lens map --json`, run in the first workspace folder. */
export const MEMORY_MAP_METHOD = 'stableLens/memoryMap';

export interface MemoryMapParams {
  /** A file or folder: only the crates that contain it (or lie under it) are returned. */
  uri?: string;
}

export type MemoryMapResult = MemoryMapJson;

/** `stableLens/status`: the server's state, for the client's status bar. */
export const STATUS_NOTIFICATION = 'stableLens/status';

export interface StatusParams {
  state: 'indexing' | 'ready' | 'error';
  message?: string;
}

/** Commands the server puts into code actions and lenses; the client implements them. */
export const SHOW_DOCS_COMMAND = 'stableLens.showDocs';
export const SHOW_MEMORY_MAP_COMMAND = 'stableLens.showMemoryMap';

/** The code action kind of "fix all safe problems in file". */
export const FIX_ALL_KIND = 'source.fixAll.stableLens';

/** The settings section the server reads through `workspace/configuration`. */
export const SETTINGS_SECTION = 'stableLens';

export interface StableLensSettings {
  enable: boolean;
  /** Keyed by rule id: `stableLens.rules.<id>`. */
  rules: Record<string, SeveritySetting>;
  inlayHints: { enable: boolean };
  /** Where upgrade-compatibility checks take the previous layout from: `lockfile`, `dfx` (Motoko's built `.most`) or `git:<ref>`. */
  baseline: string;
  /**
   * `runPackageTools`: may run dfx's packtool and `mops sources` to find Motoko packages (off: never run workspace tools).
   * `compilerDiagnostics`: which compiler diagnostics are shown (`upgrade`, `all` or `none`).
   */
  motoko: { runPackageTools: boolean; compilerDiagnostics: 'upgrade' | 'all' | 'none' };
  trace: { server: 'off' | 'messages' | 'verbose' };
}

/** What a diagnostic carries for code actions, so they only look the finding up. */
export interface DiagnosticData {
  rule: string;
  /** Identifies the finding in the latest analysis of its crate. */
  key: string;
  /** How many fixes the finding offers. */
  fixes: number;
}
