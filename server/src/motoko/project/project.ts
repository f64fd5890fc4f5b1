import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { FileSystem } from '../../core/fileSystem';
import type { Loc } from '../../core/loc';
import { normalizeFlags, splitArgs, type Flags } from './flags';
import { detectToolchain, type Toolchain } from './toolchain';
import { mocCommand, readIcpProject } from './buildFiles';

export interface MotokoCanister {
  name: string;
  /** Absolute path of the main actor file. */
  main: string;
  args: string[];
  /** mops.toml `[canisters.<name>.check-stable] path`: a `.most` to stay compatible with. */
  checkStable?: string;
}

export interface MopsDependency {
  name: string;
  /** A version, a GitHub URL or a local path, as mops.toml has it. */
  spec: string;
  /** The `name = …` line in mops.toml. */
  loc: Loc;
}

/** A folder compiled as one unit: it has a mops.toml, a vessel.dhall, a dfx.json with Motoko canisters, or none (loose files). */
export interface MotokoProject {
  root: string;
  kind: 'mops' | 'vessel' | 'dfx' | 'icp' | 'loose';
  mopsToml?: string;
  dfxJson?: string;
  files: string[];
  canisters: MotokoCanister[];
  /** `[moc] args` of mops.toml and `defaults.build.args` of dfx.json. */
  mocArgs: string[];
  dependencies: MopsDependency[];
  /** vessel.dhall `dependencies`, each on its quoted name; vessel installs them under `.vessel/`. */
  vesselDependencies?: { name: string; loc: Loc }[];
  /** dfx.json `defaults.build.packtool`. */
  packtool?: string;
  /** The moc the project builds with, as far as its files tell; absent for loose files (the bundled compiler's). */
  toolchain?: Toolchain;
}

type Warn = (message: string) => void;
type Raw = Record<string, unknown>;

const asObject = (v: unknown): Raw => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {});
const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? splitArgs(v) : [];

/** Whether a TOML line sets `name` (`name =` or `"name" =`), tested without making the name a pattern: a hostile key may be longer than any pattern can be. */
function assigns(line: string, name: string): boolean {
  let rest = line.trimStart();
  if (rest.startsWith('"')) rest = rest.slice(1);
  if (!rest.startsWith(name)) return false;
  rest = rest.slice(name.length);
  if (rest.startsWith('"')) rest = rest.slice(1);
  return rest.trimStart().startsWith('=');
}

/** The span of `name = …` inside `[section]` of a TOML text, found line by line. */
function tomlLine(file: string, text: string, sections: string[], name: string): Loc {
  let section = '';
  let offset = 0;
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) section = header[1].trim();
    else if (sections.includes(section) && assigns(line, name)) {
      const start = offset + line.length - line.trimStart().length;
      return { file, start, end: offset + line.replace(/\r$/, '').length };
    }
    offset += line.length + 1;
  }
  return { file, start: 0, end: 0 };
}

function readMops(fs: FileSystem, file: string, project: MotokoProject, warn: Warn): void {
  const text = fs.readText(file, warn);
  if (text === undefined) return;
  let doc: Raw;
  try {
    doc = parseToml(text) as Raw;
  } catch (e) {
    warn(`${file}: cannot read mops.toml (${(e as Error).message}); checking without its packages and flags`);
    return;
  }
  project.mocArgs.push(...asStrings(asObject(doc.moc).args));
  for (const section of ['dependencies', 'dev-dependencies']) {
    for (const [name, spec] of Object.entries(asObject(doc[section]))) {
      if (typeof spec === 'string') project.dependencies.push({ name, spec, loc: tomlLine(file, text, [section], name) });
    }
  }
  for (const [name, raw] of Object.entries(asObject(doc.canisters))) {
    const c = typeof raw === 'string' ? { main: raw } : asObject(raw);
    const stablePath = asObject(c['check-stable']).path;
    const checkStable = typeof stablePath === 'string' && stablePath.endsWith('.most') ? path.resolve(project.root, stablePath) : undefined;
    if (typeof c.main === 'string')
      project.canisters.push({ name, main: path.resolve(project.root, c.main), args: asStrings(c.args), ...(checkStable ? { checkStable } : {}) });
  }
}

/** The package names of vessel.dhall's `dependencies = [ "a", "b" ]`, found by text: Dhall is not parsed here. */
function readVessel(fs: FileSystem, file: string, warn: Warn): { name: string; loc: Loc }[] {
  const text = fs.readText(file, warn) ?? '';
  const list = /\bdependencies\s*=\s*\[([^\]]*)\]/.exec(text);
  if (!list) return [];
  const start = list.index + list[0].indexOf('[') + 1;
  return [...list[1].matchAll(/"([^"\\]+)"/g)].map((m) => ({ name: m[1], loc: { file, start: start + m.index, end: start + m.index + m[0].length } }));
}

/** The Motoko canisters of a dfx.json, or undefined when it has none. */
function readDfx(fs: FileSystem, file: string, warn: Warn): { canisters: MotokoCanister[]; args: string[]; packtool?: string } | undefined {
  const text = fs.readText(file, warn);
  if (text === undefined) return undefined;
  let doc: Raw;
  try {
    doc = asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
  const root = path.dirname(file);
  const canisters: MotokoCanister[] = [];
  for (const [name, raw] of Object.entries(asObject(doc.canisters))) {
    const c = asObject(raw);
    const main = typeof c.main === 'string' ? c.main : undefined;
    if (main && (c.type === 'motoko' || (c.type === undefined && main.endsWith('.mo'))))
      canisters.push({ name, main: path.resolve(root, main), args: asStrings(c.args) });
    else if (c.type === 'custom') {
      // A custom build that runs moc itself: its command line has the main file and the flags.
      const built = (Array.isArray(c.build) ? c.build : [c.build]).flatMap((b) => (typeof b === 'string' ? [mocCommand(b, root)] : []));
      const found = built.find((b) => b?.main);
      if (found?.main) canisters.push({ name, main: found.main, args: built.flatMap((b) => b?.args ?? []) });
    }
  }
  const build = asObject(asObject(doc.defaults).build);
  if (canisters.length === 0) return undefined;
  return { canisters, args: asStrings(build.args), packtool: typeof build.packtool === 'string' && build.packtool.trim() ? build.packtool : undefined };
}

/** Reads the project rooted at `dir` from its manifests; undefined when the folder is no Motoko project. */
export function readProject(fs: FileSystem, dir: string, warn: Warn): MotokoProject | undefined {
  const mops = path.join(dir, 'mops.toml');
  const vessel = path.join(dir, 'vessel.dhall');
  const dfxFile = path.join(dir, 'dfx.json');
  const dfx = fs.exists(dfxFile) ? readDfx(fs, dfxFile, warn) : undefined;
  const icp = readIcpProject(fs, dir, warn);
  const kind = fs.exists(mops) ? 'mops' : fs.exists(vessel) ? 'vessel' : dfx ? 'dfx' : icp.length ? 'icp' : undefined;
  if (!kind) return undefined;
  const project: MotokoProject = { root: dir, kind, files: [], canisters: [], mocArgs: [], dependencies: [] };
  if (kind === 'mops') {
    project.mopsToml = mops;
    readMops(fs, mops, project, warn);
  }
  if (fs.exists(vessel)) project.vesselDependencies = readVessel(fs, vessel, warn);
  if (dfx) {
    project.dfxJson = dfxFile;
    project.mocArgs.push(...dfx.args);
    project.packtool = dfx.packtool;
    for (const c of dfx.canisters) {
      const same = project.canisters.find((x) => x.main === c.main);
      if (same) same.args.push(...c.args);
      else project.canisters.push(c);
    }
  }
  // icp.yaml and canister.yaml name the flags icp-cli builds with; a canister already known gets them too.
  for (const c of icp) {
    const same = project.canisters.find((x) => x.main === c.main);
    if (same) same.args.push(...c.args);
    else project.canisters.push(c);
  }
  project.toolchain = detectToolchain(fs, {
    root: dir,
    mopsToml: project.mopsToml,
    dfxJson: project.dfxJson ?? (fs.exists(dfxFile) ? dfxFile : undefined),
    args: [...project.mocArgs, ...project.canisters.flatMap((c) => c.args)],
    dependencies: project.dependencies,
  });
  return project;
}

/** A project for `.mo` files that belong to no project: the compiler's defaults. */
export function looseProject(dir: string, files: string[]): MotokoProject {
  return { root: dir, kind: 'loose', files, canisters: [], mocArgs: [], dependencies: [] };
}

/**
 * The flags a file compiles with: the project's, plus its canister's when it is a canister's main
 * file. Other files take the arguments every canister shares, so one compiler serves them all.
 */
export function flagsFor(project: MotokoProject, file: string): Flags {
  const own = project.canisters.find((c) => c.main === file);
  const shared = project.canisters.length ? project.canisters.map((c) => c.args).reduce((a, b) => a.filter((x) => b.includes(x))) : [];
  // A compiler before 0.15, or one nobody named, is taken to compile classic actors: fields are transient unless `stable`.
  const classic = project.toolchain && project.toolchain.semantics !== 'project';
  return normalizeFlags([...project.mocArgs, ...(own ? own.args : shared)], project.root, classic ? '--legacy-actors' : undefined);
}
