import type { AnalysisConfig } from '../analysis/config';
import type { MotokoCanisterMapJson } from '../model/rust/memoryMap';
import { FileSystem } from '../analysis/fileSystem';
import type { Finding, Rule } from '../rules/types';
import { LineIndex } from '../util/text';
import { analyzeMotokoFile, type MotokoFileResult } from './analyze';
import { createMotokoCompiler } from './compiler';
import { discoverMotokoProjects } from './discover';
import { persistenceMode } from './flags';
import { resolvePackages } from './packages';
import { flagsFor, type MotokoProject } from './project';
import type { SignatureResult } from './protocol';
import { motokoCanisterMap } from './signature';

/** One project's analysis, shaped like a crate's for the CLI: files with line indexes, and findings. */
export interface MotokoProjectResult {
  project: MotokoProject;
  files: Map<string, { text: string; lines: LineIndex }>;
  results: MotokoFileResult[];
  findings: Finding[];
  /** Stable signatures of the canisters' main files, when asked for. */
  signatures: Map<string, SignatureResult>;
}

export interface MotokoPathOptions {
  config: AnalysisConfig;
  fs?: FileSystem;
  warn(message: string): void;
  runPackageTools?: boolean;
  workerScript?: string;
  /** Also compile each canister's stable signature (`stable-lens map`). */
  signatures?: boolean;
  onRuleError?(rule: Rule, file: string, error: unknown): void;
}

/** The files that define the canisters of a project; without canister entries, every file with an actor. */
export function canisterMains(project: MotokoProject, results: MotokoFileResult[]): { name: string; main: string }[] {
  if (project.canisters.length) return project.canisters.map((c) => ({ name: c.name, main: c.main }));
  return results.filter((r) => r.model?.actors.length).map((r) => ({ name: r.model!.actors[0].name ?? r.file.replace(/^.*[\\/]/, '').replace(/\.mo$/, ''), main: r.file }));
}

async function analyzeProject(project: MotokoProject, only: Set<string> | undefined, options: MotokoPathOptions, fs: FileSystem): Promise<MotokoProjectResult> {
  const packages = resolvePackages(project, { runPackageTools: options.runPackageTools ?? false, warn: options.warn });
  const compiler = createMotokoCompiler({ workerScript: options.workerScript, log: options.warn });
  const out: MotokoProjectResult = { project, files: new Map(), results: [], findings: [...packages.notes], signatures: new Map() };
  try {
    compiler.configure({ root: project.root, files: project.files, packages: packages.packages, bundledCore: packages.bundledCore });
    for (const file of project.files.filter((f) => !only || only.has(f))) {
      const text = fs.readText(file, options.warn);
      if (text === undefined) continue;
      const flags = flagsFor(project, file);
      for (const bad of flags.ignored) options.warn(`${project.root}: the flag ${bad} is not supported by the packaged compiler and is ignored`);
      const check = await compiler.check(file, flags.args);
      if (!check) continue;
      if (check.failure) options.warn(`${file}: the Motoko compiler could not run (${check.failure}); only the AST checks ran`);
      const result = analyzeMotokoFile({ file, text, check, mode: persistenceMode(flags.args), config: options.config, missingPackages: packages.missing, onRuleError: (rule, e) => options.onRuleError?.(rule, file, e) });
      out.results.push(result);
      out.files.set(file, { text, lines: result.lines });
      out.findings.push(...result.findings);
      for (const [other, { text: otherText, findings }] of result.foreign) {
        if (!out.files.has(other)) out.files.set(other, { text: otherText, lines: new LineIndex(otherText) });
        out.findings.push(...findings);
      }
    }
    if (options.signatures) {
      for (const { main } of canisterMains(project, out.results)) out.signatures.set(main, await compiler.signature(main, flagsFor(project, main).args));
    }
  } finally {
    await compiler.dispose();
  }
  for (const note of packages.notes) {
    const text = fs.readText(note.loc.file, () => undefined) ?? '';
    out.files.set(note.loc.file, { text, lines: new LineIndex(text) });
  }
  out.findings = dedupe(out.findings);
  return out;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}:${f.loc.file}:${f.loc.start}:${f.loc.end}:${f.message}`;
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
    const entry = file && motokoCanisterMap(name, file, result.signatures.get(main), result.project.root, cwd);
    return entry ? [entry] : [];
  });
}
