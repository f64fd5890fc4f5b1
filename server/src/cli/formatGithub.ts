import type { FlatFinding } from './findings';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

/** Escapes a command's message the way the Actions runner reads it back. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: a colon or a comma there would end the property. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff. */
export function formatGithub(findings: FlatFinding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file.split('\\').join('/'))}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(f.rule)}`,
      ];
      // Related locations have no place of their own in an annotation, so they follow the message.
      const message = [f.message, ...f.related.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)].join('\n');
      return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}
