/** A library version as far as it is known: resolved from Cargo.lock, or the lower end of the Cargo.toml requirement. */
export interface LibVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
  source: 'Cargo.lock' | 'Cargo.toml' | 'workspace' | 'default';
  /** The dependency line in Cargo.toml, for diagnostics and fixes. */
  manifestLine?: number;
  /** The git repository or path the dependency comes from when that is not the library's own: a fork or wrapper whose API may differ. */
  fork?: string;
}

export interface CrateInfo {
  name: string;
  /** The folder that holds Cargo.toml (or the loose file's folder). */
  root: string;
  manifest?: string;
  /** The manifest's text as read, for fixes that add dependencies to it. */
  manifestText?: string;
  /** True for cdylib crates, dfx.json Rust canisters and loose files. */
  isCanister: boolean;
  /** The root files of its binaries: each is a process with its own stable memory. */
  binRoots?: string[];
  /** Why the crate is test code that is never deployed (a test, e2e, benchmark or mock crate), when it is. */
  testCode?: string;
  stableStructures?: LibVersion;
  stableMemory?: LibVersion;
  /** The .rs files under the crate's src/ (or the loose file). */
  files: string[];
}

export function parseVersion(text: string): Omit<LibVersion, 'source' | 'text'> | undefined {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

/** Compares a version with `major.minor.patch`: negative when older. */
export function compareVersion(v: Pick<LibVersion, 'major' | 'minor' | 'patch'>, major: number, minor: number, patch = 0): number {
  return v.major - major || v.minor - minor || v.patch - patch;
}

/** The version the analyzer assumes when none is declared: the newest release it knows. */
export const LATEST_STABLE_STRUCTURES: LibVersion = { major: 0, minor: 7, patch: 2, text: '0.7.2', source: 'default' };
