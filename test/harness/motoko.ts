import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeMotokoPaths, type MotokoProjectResult } from '../../server/src/check/motokoProject';
import type { Finding } from '../../server/src/core/findings';
import { compareFile, FIXTURES, type Actual } from './fixtures';

/**
 * Analyses Motoko fixtures with the real compiler, in this thread (the `motoko` package from
 * node_modules), so tests need no bundle. Protocol and CLI tests cover the worker.
 */
export async function analyzeMotoko(
  target: string,
  rules: Record<string, 'off'> = {},
): Promise<{ projects: MotokoProjectResult[]; warnings: string[]; errors: string[] }> {
  const warnings: string[] = [];
  const errors: string[] = [];
  const { projects } = await analyzeMotokoPaths([target], {
    config: { rules },
    warn: (m) => warnings.push(m),
    onRuleError: (rule, _file, e) => errors.push(`${rule.id}: ${e instanceof Error ? e.stack : String(e)}`),
  });
  return { projects, warnings, errors };
}

export function motokoFindings(projects: MotokoProjectResult[]): Finding[] {
  return projects.flatMap((p) => p.findings);
}

export function motokoActual(projects: MotokoProjectResult[], f: Finding): Actual {
  const lines = projects.find((p) => p.files.has(f.loc.file))!.files.get(f.loc.file)!.lines;
  const start = lines.position(f.loc.start);
  const end = lines.position(f.loc.end);
  return { rule: f.rule, line: start.line, column: start.character, endColumn: end.line === start.line ? end.character : -1, message: f.message };
}

/** The `.mo` fixtures below a folder, without `.fixed` copies and package folders. */
export function listMotokoFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') || e.name.endsWith('.fixed') ? [] : listMotokoFiles(full);
    return e.name.endsWith('.mo') && !e.name.endsWith('.fixed.mo') ? [full] : [];
  });
}

/**
 * Compares the findings of a Motoko fixture (a file or a project folder) with its caret markers.
 * Findings in files that cannot hold carets (mops.toml) are listed in `expected-other.txt`.
 */
export async function motokoProblems(target: string, ruleFilter?: string): Promise<{ problems: string[]; errors: string[] }> {
  const { projects, errors } = await analyzeMotoko(target);
  const isDir = fs.statSync(target).isDirectory();
  const files = isDir ? listMotokoFiles(target) : [target];
  const problems: string[] = [];
  const all = motokoFindings(projects);
  const others = all
    .filter((f) => !f.loc.file.endsWith('.mo'))
    .map((f) => {
      const a = motokoActual(projects, f);
      return `${path.relative(target, f.loc.file)}:${a.line + 1}:${a.column + 1} ${a.rule}`;
    });
  const sidecar = path.join(isDir ? target : path.dirname(target), 'expected-other.txt');
  const expectedOthers =
    isDir && fs.existsSync(sidecar)
      ? fs
          .readFileSync(sidecar, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
      : [];
  if (JSON.stringify(others.sort()) !== JSON.stringify(expectedOthers.sort()))
    problems.push(`findings outside .mo files: ${others.join(', ') || 'none'} (expected-other.txt: ${expectedOthers.join(', ') || 'none'})`);
  for (const file of files) {
    const actual = all.filter((f) => f.loc.file === file).map((f) => motokoActual(projects, f));
    for (const p of compareFile(file, actual, ruleFilter)) problems.push(`${path.relative(FIXTURES, file)}: ${p}`);
  }
  return { problems, errors };
}
