import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzePaths, type ProjectResult } from '../../server/src/check/rustProject';
import { initRustParser } from '../../server/src/rust/syntax/treeSitter';
import type { Finding } from '../../server/src/core/findings';
import { checksAllRules, expectsNothing, parseMarkers, type Expectation } from './markers';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface Actual {
  rule: string;
  line: number;
  column: number;
  endColumn: number;
  message: string;
}

export async function analyze(target: string, rules: Record<string, 'off'> = {}): Promise<{ result: ProjectResult; warnings: string[]; errors: string[] }> {
  await initRustParser();
  const warnings: string[] = [];
  const errors: string[] = [];
  const result = analyzePaths([target], {
    config: { rules },
    warn: (m) => warnings.push(m),
    onRuleError: (rule, _crate, e) => errors.push(`${rule.id}: ${e instanceof Error ? e.stack : String(e)}`),
  });
  return { result, warnings, errors };
}

export function toActual(result: ProjectResult, f: Finding): Actual {
  const crate = result.crates.find((c) => c.files.has(f.loc.file))!;
  const lines = crate.files.get(f.loc.file)!.lines;
  const start = lines.position(f.loc.start);
  const end = lines.position(f.loc.end);
  return { rule: f.rule, line: start.line, column: start.character, endColumn: end.line === start.line ? end.character : -1, message: f.message };
}

function render(a: { rule: string; line: number; column: number; endColumn: number; message?: string }): string {
  return `${a.line + 1}:${a.column + 1}-${a.endColumn + 1} ${a.rule}${a.message ? `: ${a.message}` : ''}`;
}

/**
 * Compares a fixture file's findings with its markers. `ruleFilter` limits the comparison to one
 * rule (a rule's own fixture folder) unless the file asks for `// check: all`.
 */
export function compareFile(file: string, actual: Actual[], ruleFilter?: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const problems: string[] = [];
  if (expectsNothing(text)) {
    for (const a of actual) problems.push(`expected no diagnostics, got ${render(a)}`);
    return problems;
  }
  const relevant = ruleFilter && !checksAllRules(text) ? actual.filter((a) => a.rule === ruleFilter || a.rule === 'unused-suppression') : actual;
  const expected = parseMarkers(text);
  const unmatched = [...relevant];
  for (const e of expected) {
    const i = unmatched.findIndex((a) => a.rule === e.rule && a.line === e.line && a.column === e.column && a.endColumn === e.endColumn);
    if (i < 0) {
      problems.push(`missing ${render(e)} (marker on line ${e.markerLine + 1})`);
      continue;
    }
    const [a] = unmatched.splice(i, 1);
    if (e.message && !a.message.includes(e.message)) problems.push(`message of ${render(a)} does not contain "${e.message}"`);
  }
  for (const a of unmatched) problems.push(`unexpected ${render(a)}`);
  return problems;
}

export function listRustFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'target' || e.name.endsWith('.fixed') ? [] : listRustFiles(full);
    return e.name.endsWith('.rs') && !e.name.endsWith('.fixed.rs') ? [full] : [];
  });
}

export function expectationsIn(file: string): Expectation[] {
  return parseMarkers(fs.readFileSync(file, 'utf8'));
}
