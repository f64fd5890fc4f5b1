import * as nodeFs from 'node:fs';
import type { AnalysisConfig, BaselineSpec } from '../core/config';
import type { MotokoCanisterMapJson } from '../protocol/memoryMap';
import { FileSystem } from '../core/fileSystem';
import type { Finding } from '../core/findings';
import type { Rule } from '../rules/api';
import { LineIndex } from '../core/text';
import { analyzeMotokoFile, type MotokoFileResult } from './motoko';
import { loadMotokoBaseline } from '../lockfile/motokoBaseline';
import { createMotokoCompiler } from '../motoko/compiler/compiler';
import { type MotokoCompiler } from '../motoko/compiler/api';
import { discoverMotokoProjects } from '../motoko/project/discover';
import { persistenceMode } from '../motoko/project/flags';
import { resolvePackages } from '../motoko/project/packages';
import { externalImports } from '../motoko/project/externalFiles';
import { MISSING_PACKAGE_CODE } from '../motoko/project/missingPackages';
import { flagsFor, type MotokoProject } from '../motoko/project/project';
import type { SignatureResult } from '../motoko/compiler/protocol';
import { motokoCanisterMap } from '../motoko/analysis/memoryMap';
import { reachableFiles } from '../motoko/analysis/reachable';
import { toolchainNotes } from '../motoko/project/toolchain';
import { compareWithBaseline, wantsVerdict, type MotokoUpgrade } from '../lockfile/motokoUpgrade';

/** One project's analysis, shaped like a crate's for the CLI: files with line indexes, and findings. */
export interface MotokoProjectResult {
  project: MotokoProject;
  files: Map<string, { text: string; lines: LineIndex }>;
  results: MotokoFileResult[];
  findings: Finding[];
  /** Stable signatures of the canisters' main files, when asked for or needed for an upgrade check. */
  signatures: Map<string, SignatureResult>;
  /** Each main file with a baseline: what it was compared with, and the verdict. */
  upgrades: Map<string, MotokoUpgrade>;
}

export interface MotokoPathOptions {
  config: AnalysisConfig;
  fs?: FileSystem;
  warn(message: string): void;
  runPackageTools?: boolean;
  workerScript?: string;
  /** Also compile each canister's stable signature (`stable-lens map`). */
  signatures?: boolean;
  /** Where upgrade checks take each canister's previous version from (default: its lockfile, else what dfx built). */
  baseline?: BaselineSpec;
  onRuleError?(rule: Rule, file: string, error: unknown): void;
}

export interface CanisterMain {
  name: string;
  main: string;
  checkStable?: string;
}

/** The files that define the canisters of a project; without canister entries, every file with an actor. */
export function canisterMains(project: MotokoProject, results: Pick<MotokoFileResult, 'file' | 'model'>[]): CanisterMain[] {
  if (project.canisters.length) return project.canisters.map((c) => ({ name: c.name, main: c.main, ...(c.checkStable ? { checkStable: c.checkStable } : {}) }));
  return results
    .filter((r) => r.model?.actors.length)
    .map((r) => ({ name: r.model!.actors[0].name ?? r.file.replace(/^.*[\\/]/, '').replace(/\.mo$/, ''), main: r.file }));
}

/**
 * Whether a project still defines a canister its lockfile records: by name when dfx.json or
 * mops.toml lists canisters, else (a loose folder, whose canisters are its files with an actor) by
 * its main file still being there.
 */
export function definesCanister(project: MotokoProject, name: string, main: string): boolean {
  return project.canisters.length ? project.canisters.some((c) => c.name === name) : nodeFs.existsSync(main);
}

/** Loads a main file's baseline and compares the current signature with it (the signature is kept for the map). */
async function upgradeOf(
  project: MotokoProject,
  canister: CanisterMain,
  flags: string[],
  compiler: MotokoCompiler,
  options: MotokoPathOptions,
  fs: FileSystem,
  out: MotokoProjectResult,
): Promise<MotokoUpgrade | undefined> {
  const baseline = await loadMotokoBaseline({ fs, project, canister, spec: options.baseline ?? { kind: 'lockfile' }, flags, compiler, warn: options.warn });
  if (!baseline) return undefined;
  out.files.set(baseline.file, { text: baseline.text, lines: new LineIndex(baseline.text) });
  // Compiling a signature takes seconds: only for a verdict someone wants, or for the map and the lockfile.
  if (!wantsVerdict(options.config) && !options.signatures) return { canister: canister.name, baseline, flags };
  const signature = await compiler.signature(canister.main, flags);
  out.signatures.set(canister.main, signature);
  const verdict = await compareWithBaseline(compiler, baseline, canister.main, flags, signature);
  if (verdict.compatibility?.error)
    options.warn(`${canister.main}: the upgrade check against ${baseline.label} could not run (${verdict.compatibility.error})`);
  return { canister: canister.name, baseline, flags, ...verdict };
}

async function analyzeProject(project: MotokoProject, only: Set<string> | undefined, options: MotokoPathOptions, fs: FileSystem): Promise<MotokoProjectResult> {
  const packages = resolvePackages(project, { runPackageTools: options.runPackageTools ?? false, warn: options.warn });
  const compiler = createMotokoCompiler({ workerScript: options.workerScript, log: options.warn });
  const notes = [...packages.notes, ...toolchainNotes(project.toolchain)];
  const out: MotokoProjectResult = { project, files: new Map(), results: [], findings: [...notes], signatures: new Map(), upgrades: new Map() };
  try {
    compiler.configure({
      root: project.root,
      files: [...project.files, ...externalImports(project.root, project.files)],
      packages: packages.packages,
      bundledCore: packages.bundledCore,
    });
    const checked = [];
    for (const file of project.files.filter((f) => !only || only.has(f))) {
      const text = fs.readText(file, options.warn);
      if (text === undefined) continue;
      const flags = flagsFor(project, file);
      for (const bad of flags.ignored) options.warn(`${project.root}: the flag ${bad} is not supported by the packaged compiler and is ignored`);
      const check = await compiler.check(file, flags.args);
      if (!check) continue;
      if (check.failure) options.warn(`${file}: the Motoko compiler could not run (${check.failure}); only the AST checks ran`);
      checked.push({ file, text, check, flags, model: check.model });
    }
    // Upgrade checks need to know which files are canisters first: loose projects tell by their actors.
    const mains = canisterMains(project, checked);
    // Compile errors matter where a canister build meets them; a project without canisters is a library, built whole.
    const built = reachableFiles(
      mains.map((m) => m.main),
      new Map(checked.map((c) => [c.file, c.model?.imports ?? []])),
    );
    const isBuilt = (f: string) => only !== undefined || mains.length === 0 || built.has(f) || !project.files.includes(f);
    for (const { file, text, check, flags } of checked) {
      const canister = mains.find((c) => c.main === file);
      const upgrade = canister && check.model?.actors.length ? await upgradeOf(project, canister, flags.args, compiler, options, fs, out) : undefined;
      if (upgrade) out.upgrades.set(file, upgrade);
      const result = analyzeMotokoFile({
        file,
        text,
        check,
        mode: persistenceMode(flags.args),
        config: options.config,
        missingPackages: packages.missing,
        upgrade,
        toolchain: project.toolchain,
        packageSource: project,
        built: isBuilt,
        onRuleError: (rule, e) => options.onRuleError?.(rule, file, e),
      });
      out.results.push(result);
      out.files.set(file, { text, lines: result.lines });
      out.findings.push(...result.findings);
      for (const [other, { text: otherText, findings }] of result.foreign) {
        if (!out.files.has(other)) out.files.set(other, { text: otherText, lines: new LineIndex(otherText) });
        out.findings.push(...findings);
      }
    }
    if (options.signatures) {
      for (const { main } of canisterMains(project, out.results))
        if (!out.signatures.has(main)) out.signatures.set(main, await compiler.signature(main, flagsFor(project, main).args));
    }
  } finally {
    await compiler.dispose();
  }
  for (const note of notes) {
    const text = fs.readText(note.loc.file, () => undefined) ?? '';
    out.files.set(note.loc.file, { text, lines: new LineIndex(text) });
  }
  out.findings = dedupe(out.findings);
  return out;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    // A missing package is said once per project: on the first file that imports it.
    const k = f.rule === MISSING_PACKAGE_CODE ? f.message : `${f.rule}:${f.loc.file}:${f.loc.start}:${f.loc.end}:${f.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Finds, compiles and analyses every Motoko project under the given paths. */
export async function analyzeMotokoPaths(inputs: string[], options: MotokoPathOptions): Promise<{ projects: MotokoProjectResult[]; onlyFiles?: Set<string> }> {
  const fs = options.fs ?? new FileSystem();
  const { projects, onlyFiles } = discoverMotokoProjects(fs, inputs, options.warn);
  const results: MotokoProjectResult[] = [];
  for (const project of projects) {
    const result = await analyzeProject(project, onlyFiles, options, fs);
    if (onlyFiles) result.findings = result.findings.filter((f) => onlyFiles.has(f.loc.file));
    results.push(result);
  }
  return { projects: results, onlyFiles };
}

/** The memory-map entries of a project's canisters. */
export function motokoCanisters(result: MotokoProjectResult, cwd: string): MotokoCanisterMapJson[] {
  return canisterMains(result.project, result.results).flatMap(({ name, main }) => {
    const file = result.results.find((r) => r.file === main);
    const entry = file && motokoCanisterMap(name, file, result.signatures.get(main), result.project.root, cwd, result.project.toolchain);
    return entry ? [entry] : [];
  });
}
