import * as path from 'node:path';
import { listDir, type FileSystem } from '../../core/fileSystem';
import type { Finding } from '../../core/findings';
import type { Loc } from '../../core/loc';

/** The moc inside the `motoko` npm package that Stable Lens compiles with. */
export const BUNDLED_MOC_VERSION = '1.10.1';

/** The first moc with persistent actors and M0217–M0220; older ones only know classic actors. */
const PERSISTENT_ACTORS_SINCE = '0.15.0';

/**
 * How a project's actors are compiled: `classic` for a moc before 0.15 (fields are transient unless
 * `stable`, no M0217–M0220), `project` for a newer one (the project's flags), `unknown` when nothing says.
 */
export type Semantics = 'classic' | 'project' | 'unknown';

export interface Toolchain {
  /** The moc version, when known; `approximate` when it is inferred from dfx or a library version. */
  moc?: string;
  approximate?: boolean;
  /** Where the version comes from, as the summary and the hover show it. */
  source: string;
  semantics: Semantics;
  /** The line that pins it, when it is in a file of the project. */
  loc?: Loc;
}

/** The moc each dfx release bundles, oldest first; a dfx between two rows has the older row's moc or newer. */
const DFX_MOC: [string, string][] = [
  ['0.24.3', '0.13.4'],
  ['0.28.0', '0.14.13'],
  ['0.29.0', '0.15.1'],
  ['0.29.1', '0.16.1'],
  ['0.31.0', '1.1.0'],
  ['0.32.0', '1.4.1'],
];

const VERSION = /(\d+)\.(\d+)\.(\d+)/;

/** Compares dotted versions by their numbers; a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
  const pa = VERSION.exec(a)?.slice(1).map(Number) ?? [0, 0, 0];
  const pb = VERSION.exec(b)?.slice(1).map(Number) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The moc a dfx version bundles: exact for the known releases, else the nearest older one's (a lower bound). */
export function mocOfDfx(dfx: string): { moc?: string; approximate: boolean } {
  if (!VERSION.test(dfx)) return { approximate: true };
  const row = [...DFX_MOC].reverse().find(([d]) => compareVersions(d, dfx) <= 0);
  // Older than every known row: some moc before 0.13.4, which is classic all the same.
  if (!row) return { moc: undefined, approximate: true };
  return { moc: row[1], approximate: compareVersions(row[0], dfx) !== 0 };
}

function semanticsOf(moc: string | undefined, knownOld: boolean): Semantics {
  if (moc === undefined) return knownOld ? 'classic' : 'unknown';
  return compareVersions(moc, PERSISTENT_ACTORS_SINCE) < 0 ? 'classic' : 'project';
}

/** The first match of `pattern` in `text` with its span, for a finding on that line. */
function find(file: string, text: string, pattern: RegExp): { value: string; loc: Loc } | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  return { value: m[1], loc: { file, start: m.index, end: m.index + m[0].length } };
}

/** The string value of `key` inside `[section]` of a TOML text, with its span. */
function tomlValue(file: string, text: string, section: string, key: string): { value: string; loc: Loc } | undefined {
  let current = '';
  let offset = 0;
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) current = header[1].trim();
    else if (current === section) {
      const m = /^\s*"?([\w-]+)"?\s*=\s*"([^"]*)"/.exec(line);
      if (m && m[1] === key) return { value: m[2], loc: { file, start: offset + line.length - line.trimStart().length, end: offset + line.trimEnd().length } };
    }
    offset += line.length + 1;
  }
  return undefined;
}

function fromDfx(dfx: string, source: string, loc?: Loc): Toolchain {
  const { moc, approximate } = mocOfDfx(dfx);
  const label = moc ? `moc ${approximate ? '≈' : ''}${moc}` : 'moc older than 0.13.4';
  return { moc, approximate, source: `${source} (dfx ${dfx}, ${label})`, semantics: semanticsOf(moc, true), ...(loc ? { loc } : {}) };
}

/** CI workflow files of the project and of the repository around it, where `DFX_VERSION` or `mops toolchain use` pin a compiler. */
function ciFiles(root: string): string[] {
  const out: string[] = [];
  for (let dir = root, depth = 0; depth < 4; depth++) {
    const workflows = path.join(dir, '.github', 'workflows');
    for (const name of listDir(workflows).sort()) if (/\.ya?ml$/.test(name)) out.push(path.join(workflows, name));
    const parent = path.dirname(dir);
    if (parent === dir || listDir(dir).includes('.git')) break;
    dir = parent;
  }
  return out;
}

/** Flags that choose a persistence mode exist only from moc 0.15 on: a project that passes one has such a compiler. */
const MODE_FLAGS = /--(default-persistent-actors|require-persistent-actors|legacy-actors)\b/;

export interface ToolchainInput {
  root: string;
  mopsToml?: string;
  dfxJson?: string;
  /** Every argument the project passes to moc, from any manifest. */
  args: string[];
  /** mops dependencies: `base` (or `base@N`) and its version. */
  dependencies: { name: string; spec: string; loc: Loc }[];
}

/**
 * Finds the moc a project builds with, from the most direct evidence to the least: mops.toml
 * `[toolchain] moc`, dfx.json `dfx`, CI files, vessel.dhall's compiler or package set, a persistence flag, then
 * the version of `base`, whose releases follow moc's.
 */
export function detectToolchain(fs: FileSystem, project: ToolchainInput): Toolchain {
  const quiet = () => undefined;
  const read = (file: string) => (fs.exists(file) ? fs.readText(file, quiet) : undefined);
  const mopsText = project.mopsToml ? read(project.mopsToml) : undefined;
  if (project.mopsToml && mopsText) {
    const pin = tomlValue(project.mopsToml, mopsText, 'toolchain', 'moc');
    if (pin && VERSION.test(pin.value))
      return { moc: pin.value, source: `mops.toml [toolchain] moc = "${pin.value}"`, semantics: semanticsOf(pin.value, false), loc: pin.loc };
  }
  const dfxText = project.dfxJson ? read(project.dfxJson) : undefined;
  if (project.dfxJson && dfxText) {
    const pin = find(project.dfxJson, dfxText, /"dfx"\s*:\s*"([^"]+)"/);
    if (pin && VERSION.test(pin.value)) return fromDfx(pin.value, 'dfx.json', pin.loc);
  }
  for (const file of ciFiles(project.root)) {
    const text = read(file);
    if (!text) continue;
    const moc = find(file, text, /mops\s+toolchain\s+use\s+moc\s+v?(\d+\.\d+\.\d+)/);
    if (moc)
      return { moc: moc.value, source: `${path.basename(file)}: mops toolchain use moc ${moc.value}`, semantics: semanticsOf(moc.value, false), loc: moc.loc };
    const dfx = find(file, text, /(?:DFX_VERSION|dfx-version)['"]?\s*[:=]\s*['"]?v?(\d+\.\d+\.\d+)/);
    if (dfx) return fromDfx(dfx.value, path.basename(file), dfx.loc);
  }
  const vessel = path.join(project.root, 'vessel.dhall');
  const vesselText = read(vessel);
  const compiler = vesselText ? find(vessel, vesselText, /\bcompiler\s*=\s*Some\s*"v?(\d+\.\d+\.\d+)"/) : undefined;
  if (compiler)
    return { moc: compiler.value, source: `vessel.dhall compiler ${compiler.value}`, semantics: semanticsOf(compiler.value, false), loc: compiler.loc };
  const packageSet = path.join(project.root, 'package-set.dhall');
  const setText = read(packageSet);
  const set = setText ? find(packageSet, setText, /\bmo-(\d+\.\d+\.\d+)/) : undefined;
  if (set) return { moc: set.value, source: `vessel package set mo-${set.value}`, semantics: semanticsOf(set.value, false), loc: set.loc };
  if (project.args.some((a) => MODE_FLAGS.test(a))) return { source: 'a persistence flag of moc 0.15 or newer', semantics: 'project' };
  const base = project.dependencies.find((d) => /^base(@\d+)?$/.test(d.name) && VERSION.test(d.spec) && !d.spec.includes('/'));
  if (base) {
    const moc = VERSION.exec(base.spec)![0];
    return { moc, approximate: true, source: `base ${base.spec} in mops.toml (moc ≈${moc})`, semantics: semanticsOf(moc, false), loc: base.loc };
  }
  return { source: 'no moc version found', semantics: 'unknown' };
}

/** One line for summaries and hovers: what Stable Lens assumed, and why. */
export function describeToolchain(t: Toolchain): string {
  if (t.semantics === 'unknown') return 'moc version unknown: plain actors checked as classic, M0219/M0220 as warnings';
  return `${t.semantics === 'classic' ? 'classic actors (--legacy-actors)' : "the project's persistence flags"} · ${t.source}`;
}

/** The code of the note that says the project pins a newer moc than the one Stable Lens compiles with. */
export const NEWER_TOOLCHAIN_CODE = 'newer-toolchain';

/** One info note on the pin when the project's moc is newer than the bundled one: its new checks and defaults are not applied. */
export function toolchainNotes(t: Toolchain | undefined): Finding[] {
  if (!t?.moc || t.approximate || !t.loc || compareVersions(t.moc, BUNDLED_MOC_VERSION) <= 0) return [];
  const message = `the project builds with moc ${t.moc}, newer than the moc ${BUNDLED_MOC_VERSION} Stable Lens checks with: diagnostics and defaults added since are not applied`;
  return [{ rule: NEWER_TOOLCHAIN_CODE, severity: 'info', message, loc: t.loc }];
}

/** Loose files have no manifest: they are checked as the bundled compiler would. */
export const BUNDLED_TOOLCHAIN: Toolchain = { moc: BUNDLED_MOC_VERSION, source: `bundled moc ${BUNDLED_MOC_VERSION}`, semantics: 'project' };
