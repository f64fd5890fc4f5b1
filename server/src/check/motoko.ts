import * as path from 'node:path';
import type { AnalysisConfig } from '../core/config';
import type { Finding } from '../core/findings';
import type { SuppressionComment } from '../core/loc';
import { suppressionsFromComments } from '../core/suppressions';
import { LineIndex } from '../core/text';
import type { MotokoUpgrade } from '../lockfile/motokoUpgrade';
import { FALLBACK_CODES, needsFallback, persistenceFallback } from '../motoko/analysis/fallback';
import { compilerFixes } from '../motoko/analysis/fixes';
import { filterCompilerFindings } from '../motoko/analysis/compilerFilter';
import type { CheckResult, CompilerDiagnostic } from '../motoko/compiler/protocol';
import { scanComments } from '../motoko/model/comments';
import type { MotokoFileModel, PersistenceMode } from '../motoko/model/model';
import type { Toolchain } from '../motoko/project/toolchain';
import { missingPackageOf, undeclaredMissing, type PackageSource } from '../motoko/project/missingPackages';
import type { MotokoRuleContext, Rule } from '../rules/api';
import { rules as allRules } from '../rules/registry';
import { runRules } from './runRules';

/** A Motoko file as analysed: its text, model and findings, plus compiler findings it caused elsewhere. */
export interface MotokoFileResult {
  file: string;
  text: string;
  lines: LineIndex;
  model?: MotokoFileModel;
  compiled: boolean;
  findings: Finding[];
  /** Compiler diagnostics in imported files, with the text the compiler saw. */
  foreign: Map<string, { text: string; findings: Finding[] }>;
  suppressions: SuppressionComment[];
  /** Milliseconds the compiler took. */
  ms: number;
  /** What the upgrade rules compared a canister's main file with. */
  upgrade?: MotokoUpgrade;
}

export interface MotokoAnalysisInput {
  file: string;
  text: string;
  check: CheckResult;
  mode: PersistenceMode;
  config: AnalysisConfig;
  /** Packages a manifest declares that are not installed: their note is on the manifest, so their M0010s are dropped. */
  missingPackages?: Set<string>;
  /** How the project gets its packages, for the advice on one that nothing declares. */
  packageSource?: PackageSource;
  onRuleError?(rule: Rule, error: unknown): void;
  ruleSet?: readonly Rule[];
  /** For a canister's main file: its baseline and the compiler's compatibility verdict. */
  upgrade?: MotokoUpgrade;
  /** The project's compiler, as detected; absent means the bundled one. */
  toolchain?: Toolchain;
  /** Whether a canister builds `file` (its main imports it): other files' compile errors are not shown. */
  built?(file: string): boolean;
}

const ORDER = (a: Finding, b: Finding) => a.loc.start - b.loc.start || a.loc.end - b.loc.end || a.rule.localeCompare(b.rule);

/** The missing file of an M0009 when it lies in a `declarations` folder: bindings `dfx generate` writes and git ignores. */
function missingGeneratedFile(d: CompilerDiagnostic): string | undefined {
  if (d.code !== 'M0009') return undefined;
  const missing = /file "([^"]+)" does not exist/.exec(d.message)?.[1];
  return missing && missing.split(/[\\/]/).includes('declarations') ? missing : undefined;
}

function compilerFinding(d: CompilerDiagnostic): Finding {
  return { rule: d.code || 'moc', severity: d.severity, message: d.message.trimEnd(), loc: d.loc };
}

/** A fresh checkout has no generated bindings: like a missing package, a note on what to run, not an error. */
function generatedNote(d: CompilerDiagnostic, missing: string): Finding {
  const message = `${missing} is not there: it is generated (\`dfx generate\` or the project's own script) and not checked in, so this file is checked once the bindings are generated`;
  return { rule: d.code, severity: 'info', message, loc: d.loc };
}

/**
 * The compiler's M0010 on every import of a missing package becomes one note: none for a declared
 * package (its manifest line has the note), and one on the first import of an undeclared one.
 */
function missingPackageNotes(diagnostics: CompilerDiagnostic[], input: MotokoAnalysisInput): { notes: Finding[]; drop: Set<CompilerDiagnostic> } {
  const notes: Finding[] = [];
  const drop = new Set<CompilerDiagnostic>();
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const pkg = missingPackageOf(d.code, d.message);
    if (!pkg) continue;
    drop.add(d);
    if (input.missingPackages?.has(pkg) || seen.has(pkg) || d.loc.file !== input.file) continue;
    seen.add(pkg);
    notes.push(undeclaredMissing(input.packageSource ?? { kind: 'loose' }, pkg, d.loc, (input.missingPackages?.size ?? 0) > 0));
  }
  return { notes, drop };
}

/**
 * M0219 and M0220 as warnings, for a project whose compiler version nothing tells: it is compiled
 * as classic, but from moc 0.15 on the compiler would ask for these annotations.
 */
function maybePersistent(model: MotokoFileModel, toolchain: Toolchain): Finding[] {
  return persistenceFallback(model, { legacy: false, defaultPersistent: false })
    .filter((f) => f.rule !== 'M0218')
    .map((f) => ({ ...f, severity: 'warning', message: `${f.message} (an error from moc 0.15 on; ${toolchain.source} for this project)` }));
}

/**
 * Turns one compiler check into findings: the compiler's diagnostics with their quick fixes, the
 * persistence fallback when the compiler stopped early, and the Motoko rules run on the AST model.
 * Pure: the compiler ran elsewhere.
 */
export function analyzeMotokoFile(input: MotokoAnalysisInput): MotokoFileResult {
  const { file, text, check, mode, config } = input;
  const lines = new LineIndex(text);
  const model = check.model;
  const own: Finding[] = [];
  const foreign = new Map<string, { text: string; findings: Finding[] }>();
  const missing = missingPackageNotes(check.diagnostics, input);
  const shown = (findings: Finding[]) => filterCompilerFindings(findings, config.motokoDiagnostics, input.built);
  const notes = [...missing.notes];
  for (const d of check.diagnostics) {
    if (missing.drop.has(d)) continue;
    const generated = missingGeneratedFile(d);
    if (generated) {
      if (d.loc.file === file) notes.push(generatedNote(d, path.relative(path.dirname(file), generated)));
      continue;
    }
    const finding = compilerFinding(d);
    if (d.loc.file === file) own.push({ ...finding, fixes: compilerFixes(d.code, d.loc, model, text) });
    else {
      const entry = foreign.get(d.loc.file) ?? { text: check.texts[d.loc.file] ?? '', findings: [] };
      entry.findings.push(finding);
      foreign.set(d.loc.file, entry);
    }
  }
  for (const entry of foreign.values()) entry.findings = shown(entry.findings);
  for (const [other, entry] of foreign) if (!entry.findings.length) foreign.delete(other);
  if (model && needsFallback(check.compiled, check.diagnostics, file, check.hiddenErrors)) {
    const reported = new Set(own.filter((f) => FALLBACK_CODES.has(f.rule)).map((f) => `${f.rule}:${f.loc.start}:${f.loc.end}`));
    for (const f of persistenceFallback(model, mode)) {
      if (!reported.has(`${f.rule}:${f.loc.start}:${f.loc.end}`)) own.push({ ...f, fixes: compilerFixes(f.rule, f.loc, model, text) });
    }
  }
  if (model && input.toolchain?.semantics === 'unknown') own.push(...maybePersistent(model, input.toolchain));
  const findings = [...notes, ...shown(own)];
  const ruleSet = input.ruleSet ?? allRules;
  // A file that did not parse has no model for the rules: the compiler's errors say why.
  const checks =
    model && !model.parseError
      ? ruleSet.flatMap((rule) =>
          rule.checkMotoko
            ? [{ rule, run: (report: MotokoRuleContext['report']) => rule.checkMotoko!({ file: model, text, mode, upgrade: input.upgrade, report }) }]
            : [],
        )
      : [];
  const comments = scanComments(text).filter((c) => c.line);
  const suppressions = suppressionsFromComments(file, comments, lines);
  const kept = runRules({ checks, config, findings, suppressions: [{ file, suppressions }], lineIndex: () => lines, onRuleError: input.onRuleError });
  return { file, text, lines, model, compiled: check.compiled, findings: kept.sort(ORDER), foreign, suppressions, ms: check.ms, upgrade: input.upgrade };
}
