import type { Rule } from '../rules/api';
import type { CrateInfo } from '../rust/project/crate';
import { analyzeCrate, type CrateResult } from './rust';
import { sourceFile, type SourceFile } from '../rust/model/sourceFile';
import { type AnalysisConfig, type BaselineSpec } from '../core/config';
import { discoverCrates } from '../rust/project/discover';
import { FileSystem } from '../core/fileSystem';
import { loadBaseline } from '../lockfile/baseline';

export interface ProjectResult {
  crates: CrateResult[];
  onlyFiles?: Set<string>;
}

export interface ProjectOptions {
  config: AnalysisConfig;
  /** Where upgrade-compatibility rules take the previous layout from (default: each crate's lockfile). */
  baseline?: BaselineSpec;
  /** Whether findings need their quick fixes (default true). */
  fixes?: boolean;
  fs?: FileSystem;
  warn(message: string): void;
  onRuleError?(rule: Rule, crate: CrateInfo, error: unknown): void;
}

/** Reads, parses and analyses every crate under the given paths. Never throws for bad input files. */
export function analyzePaths(inputs: string[], options: ProjectOptions): ProjectResult {
  const fs = options.fs ?? new FileSystem();
  const { crates, onlyFiles } = discoverCrates(fs, inputs, options.warn);
  const results: CrateResult[] = [];
  for (const crate of crates) {
    const files: SourceFile[] = [];
    for (const path of crate.files) {
      const text = fs.readText(path, options.warn);
      if (text === undefined) continue;
      try {
        files.push(sourceFile(path, text));
      } catch (e) {
        options.warn(`${path}: skipped, the parser failed (${(e as Error).message})`);
      }
    }
    const baseline = loadBaseline(crate, fs, options.baseline ?? { kind: 'lockfile' }, options.warn);
    results.push(analyzeCrate(crate, files, options.config, { onRuleError: options.onRuleError, baseline, fixes: options.fixes }));
  }
  if (onlyFiles) {
    for (const r of results) r.findings = r.findings.filter((f) => onlyFiles.has(f.loc.file));
  }
  return { crates: results, onlyFiles };
}
