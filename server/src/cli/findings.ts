import * as path from 'node:path';
import type { ProjectResult } from '../check/rustProject';
import type { Finding, Severity } from '../core/findings';
import type { LineIndex } from '../core/text';

/** A finding with 1-based line and column numbers (like ESLint), relative to the current folder. */
export interface FlatFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
}

/** Findings with the line indexes of their files: a crate, or a Motoko project. */
export interface FindingGroup {
  files: ReadonlyMap<string, { lines: LineIndex }>;
  findings: Finding[];
}

export function flatten(result: ProjectResult, cwd: string, more: FindingGroup[] = []): FlatFinding[] {
  const out: FlatFinding[] = [];
  for (const crate of [...result.crates, ...more]) {
    const pos = (file: string, offset: number) => crate.files.get(file)?.lines.position(offset) ?? { line: 0, character: 0 };
    const rel = (file: string) => path.relative(cwd, file) || path.basename(file);
    for (const f of crate.findings) {
      const start = pos(f.loc.file, f.loc.start);
      const end = pos(f.loc.file, f.loc.end);
      out.push({
        rule: f.rule,
        severity: f.severity,
        file: rel(f.loc.file),
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        message: f.message,
        related: (f.related ?? []).map((r) => {
          const p = pos(r.loc.file, r.loc.start);
          return { file: rel(r.loc.file), line: p.line + 1, column: p.character + 1, message: r.message };
        }),
      });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

export type { Finding };
