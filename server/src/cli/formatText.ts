import type { FlatFinding } from './findings';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m', reset: '\x1b[0m', dim: '\x1b[2m', bold: '\x1b[1m' };

/** `notes` are lines shown before the totals, such as the compiler each Motoko project was checked as. */
export function formatText(findings: FlatFinding[], color: boolean, filesChecked: number, motokoFiles = 0, notes: string[] = []): string {
  const c = (code: keyof typeof COLORS, s: string) => (color ? `${COLORS[code]}${s}${COLORS.reset}` : s);
  const lines = findings.map((f) => {
    const sev = c(f.severity, f.severity.padEnd(7));
    return (
      `${f.file}:${f.line}:${f.column} ${sev} ${c('dim', f.rule)} ${f.message}` +
      f.related.map((r) => `\n    ${c('dim', `${r.file}:${r.line}:${r.column} ${r.message}`)}`).join('')
    );
  });
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`, `${count('info') + count('hint')} info`];
  lines.push(
    findings.length ? '' : '',
    ...notes.map((n) => c('dim', n)),
    c('bold', `${parts.join(', ')} in ${filesChecked} Rust${motokoFiles ? ` and ${motokoFiles} Motoko` : ''} file(s)`),
  );
  return lines.filter((l, i) => l !== '' || i > 0).join('\n') + '\n';
}
