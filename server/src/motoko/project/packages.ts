import { listDir, MAX_FILE_BYTES } from '../../core/fileSystem';
import { execSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Finding } from '../../core/findings';
import { declaredMissing } from './missingPackages';
import type { MopsDependency, MotokoProject } from './project';

/** The version of `core` bundled with the `motoko` package (packages/latest/core.json). */
export const BUNDLED_CORE_VERSION = '2.5.0';

/** The code of the note that says the bundled `core` stands in for a missing install. */
export const BUNDLED_CORE_CODE = 'bundled-core';

export interface PackageResolution {
  packages: { name: string; dir: string }[];
  bundledCore: boolean;
  /** Declared in mops.toml or vessel.dhall but not found on disk, by name: each has one note. */
  missing: Set<string>;
  /** How the packages were found: `packtool`, `mops sources` or `.mops`. */
  source: string;
  notes: Finding[];
}

export interface PackageOptions {
  /** Runs dfx's packtool and `mops sources`: off by default, since they execute workspace code. */
  runPackageTools: boolean;
  warn(message: string): void;
  exec?(command: string, cwd: string): string;
}

const isDir = (p: string) => {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** `--package name dir` pairs, as dfx packtools and `mops sources` print them. */
export function parseSources(output: string, cwd: string): { name: string; dir: string }[] {
  return [...output.matchAll(/--package\s+(\S+)\s+("[^"]*"|\S+)/g)].map((m) => ({ name: m[1], dir: path.resolve(cwd, m[2].replace(/^"|"$/g, '')) }));
}

/** A package folder's sources: its own mops.toml `baseDir`, else `src/` when it exists. */
function sourcesOf(dir: string): string {
  try {
    const doc = parseToml(nodeFs.readFileSync(path.join(dir, 'mops.toml'), 'utf8')) as { package?: { baseDir?: unknown } };
    if (typeof doc.package?.baseDir === 'string') return path.join(dir, doc.package.baseDir);
  } catch {
    // No or unreadable manifest: fall through to the convention.
  }
  return isDir(path.join(dir, 'src')) ? path.join(dir, 'src') : dir;
}

/** Where mops installed a dependency, following its own folder naming; undefined when it is not there. */
function installedDir(root: string, dep: MopsDependency): string | undefined {
  const mops = path.join(root, '.mops');
  if (dep.spec.startsWith('https://github.com/')) {
    const [, branchPart = 'master'] = dep.spec.split('#');
    const [branch, commit] = branchPart.split('@');
    const exact = `${dep.name}#${branch.replace(/\//g, '___')}${commit ? `@${commit}` : ''}`;
    const github = path.join(mops, '_github');
    const found = listDir(github).includes(exact) ? exact : listDir(github).find((n) => n.startsWith(`${dep.name}#`) || n.startsWith(`${dep.name}@`));
    return found ? sourcesOf(path.join(github, found)) : undefined;
  }
  if (/^(\.?\.)?[\\/]/.test(dep.spec)) {
    const dir = path.resolve(root, dep.spec);
    return isDir(dir) ? sourcesOf(dir) : undefined;
  }
  const exact = path.join(mops, `${dep.name}@${dep.spec}`);
  if (isDir(exact)) return sourcesOf(exact);
  // mops may have installed another version to resolve a conflict: any installed version beats none.
  const other = listDir(mops)
    .filter((n) => n.startsWith(`${dep.name}@`))
    .sort()
    .pop();
  return other ? sourcesOf(path.join(mops, other)) : undefined;
}

function runTool(options: PackageOptions, command: string, cwd: string): { name: string; dir: string }[] | undefined {
  try {
    const exec = options.exec ?? ((c, d) => execSync(c, { cwd: d, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }));
    const found = parseSources(exec(command, cwd), cwd);
    return found.length ? found : undefined;
  } catch (e) {
    options.warn(`${cwd}: \`${command}\` failed (${(e as Error).message.split('\n')[0]}); reading .mops instead`);
    return undefined;
  }
}

/** A regular file's text, or '' for anything else: a FIFO named `*.mo` would block the read forever. */
export function readSmallFile(file: string): string {
  try {
    const stat = nodeFs.statSync(file);
    return stat.isFile() && stat.size <= MAX_FILE_BYTES ? nodeFs.readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

/** The packages the files import (`mo:name/…`), read from their text: cheaper than asking the compiler. */
function importedPackages(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) for (const m of readSmallFile(file).matchAll(/"mo:([^/"]+)/g)) out.add(m[1]);
  return out;
}

/**
 * Finds the packages of a project: dfx's packtool, then `mops sources` (both only when allowed to
 * run tools), then what mops installed under `.mops/` and vessel under `.vessel/`. A declared
 * `core` that is not installed falls back to the compiler's bundled copy, with one info note.
 */
export function resolvePackages(project: MotokoProject, options: PackageOptions): PackageResolution {
  const out: PackageResolution = { packages: [], bundledCore: false, missing: new Set(), source: '.mops', notes: [] };
  let found: Set<string> | undefined;
  // A declared package that no file imports costs nothing while it is missing: it gets no note.
  const imported = () => (found ??= importedPackages(project.files));
  if (project.kind === 'loose') {
    out.bundledCore = true;
    out.source = 'bundled core';
    return out;
  }
  if (options.runPackageTools) {
    const tools = [project.packtool, project.mopsToml ? 'mops sources' : undefined].filter((t): t is string => t !== undefined);
    for (const tool of tools) {
      const found = runTool(options, tool, project.root);
      if (found) return { ...out, packages: found, source: tool };
    }
  }
  for (const dep of project.dependencies) {
    const dir = installedDir(project.root, dep);
    if (dir) out.packages.push({ name: dep.name, dir });
    else if (dep.name === 'core') {
      out.bundledCore = true;
      const message = `\`core\` ${dep.spec} is not installed in .mops: checking with the core ${BUNDLED_CORE_VERSION} bundled with the compiler (run \`mops install\`)`;
      out.notes.push({ rule: BUNDLED_CORE_CODE, severity: 'info', message, loc: dep.loc });
    } else if (!out.missing.has(dep.name)) {
      out.missing.add(dep.name);
      if (imported().has(dep.name)) out.notes.push(declaredMissing(dep.name, dep.spec, dep.loc, 'mops'));
    }
  }
  const vessel = path.join(project.root, '.vessel');
  for (const name of listDir(vessel)) {
    const version = listDir(path.join(vessel, name)).sort().pop();
    if (version && !out.packages.some((p) => p.name === name)) out.packages.push({ name, dir: sourcesOf(path.join(vessel, name, version)) });
  }
  for (const dep of project.vesselDependencies ?? []) {
    if (out.packages.some((p) => p.name === dep.name) || out.missing.has(dep.name) || (dep.name === 'core' && out.bundledCore)) continue;
    out.missing.add(dep.name);
    if (imported().has(dep.name)) out.notes.push(declaredMissing(dep.name, undefined, dep.loc, 'vessel'));
  }
  return out;
}
