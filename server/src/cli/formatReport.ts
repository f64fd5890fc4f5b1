import type { FlatFinding } from './findings';
import type { CanisterReport, UpgradeReport } from './report';
import type { Change } from './reportDiff';

const WHAT: Record<Change['kind'], string> = {
  'memory-id-added': 'added',
  'memory-id-retired': 'retired',
  'memory-id-reassigned': 'reassigned',
  'structure-kind-changed': 'structure kind changed',
  'key-type-changed': 'key type changed',
  'value-type-changed': 'value type changed',
  'storable-bound-changed': 'bound changed',
  'storable-encoding-changed': 'encoding changed',
  'storable-field-added': 'field added',
  'storable-field-removed': 'field removed',
  'storable-field-changed': 'field changed',
  'memory-manager-changed': 'changed',
  'initializer-changed': 'initializer changed; deployed canisters keep the stored value',
  'variable-added': 'stable variable added',
  'variable-dropped': 'stable variable dropped',
  'variable-retyped': 'stable variable retyped',
  'persistence-changed': 'changed',
};

const LANGUAGE = { rust: 'Rust', motoko: 'Motoko' };

/** The one line of a canister with nothing to show, or the heading of one that has. */
function summary(c: CanisterReport, q: (s: string) => string = (s) => s): string {
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const errors = c.errors.length ? [n(c.errors.length, 'error')] : [];
  if (c.state === 'no-baseline') return [`no baseline to compare with (run ${q('stable-lens lock')} and commit the lockfile)`, ...errors].join(', ');
  if (c.state === 'not-compiled')
    return [`compared with ${q(c.baseline ?? '')}, but the working tree does not compile, so its stable signature is unknown`, ...errors].join(', ');
  if (c.state === 'unchanged') return [`no change to stable state since ${q(c.baseline ?? '')}`, ...errors].join(', ');
  return [`against ${q(c.baseline ?? '')}`, n(c.changes.length, 'change'), ...errors].join(', ');
}

/** Inline code that survives a table cell: pipes escaped, backticks dropped, long values cut. */
function code(s: string | undefined): string {
  if (s === undefined) return '';
  const short = s.length > 120 ? `${s.slice(0, 117)}...` : s;
  return '`' + short.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') + '`';
}

/**
 * A message in Markdown: its back-quoted names stay code spans, and outside them the characters
 * that would start markup or HTML are escaped. Unbalanced back quotes are escaped too.
 */
function md(s: string): string {
  const parts = s.replace(/\r?\n/g, ' ').split('`');
  const escape = (t: string) => t.replace(/([\\`*_[\]<>|])/g, '\\$1');
  if (parts.length % 2 === 0) return escape(parts.join('`'));
  return parts.map((t, i) => (i % 2 ? `\`${t}\`` : escape(t))).join('');
}

const location = (f: FlatFinding) => `${f.file}:${f.line}:${f.column}`;

function verdictLine(c: CanisterReport, markdown: boolean): string[] {
  if (!c.verdict) return [];
  const head = c.verdict.compatible ? 'compatible' : markdown ? '**incompatible**' : 'incompatible';
  return [
    `Compiler verdict (moc --stable-compatible): ${head}`,
    ...c.verdict.messages.map((m) => `${markdown ? '- ' : '  '}${m.code} ${m.severity}: ${markdown ? md(m.message) : m.message}`),
  ];
}

/** For a pull-request comment or `$GITHUB_STEP_SUMMARY`: a heading and a table per changed canister, one line per clean one. */
export function formatReportMarkdown(report: UpgradeReport): string {
  const out = ['## Stable Lens upgrade report', '', `Baseline: ${code(report.baseline)}. ${counts(report)}`, ''];
  for (const c of report.canisters) {
    const title = `**${md(c.name)}** (${LANGUAGE[c.language]}, ${code(c.path)})`;
    if (c.changes.length === 0 && c.errors.length === 0 && c.verdict?.compatible !== false) {
      out.push(`- ${c.clean ? '✅' : '⚪'} ${title}: ${summary(c, code)}`);
      continue;
    }
    out.push('', `### ${c.errors.length || c.verdict?.compatible === false ? '❌' : '⚠️'} ${md(c.name)}`, '', `${title}: ${summary(c, code)}.`, '');
    if (c.changes.length) {
      out.push('| subject | change | before | after |', '|---|---|---|---|');
      for (const ch of c.changes) out.push(`| ${code(ch.subject)} | ${WHAT[ch.kind]} | ${code(ch.before)} | ${code(ch.after)} |`);
      out.push('');
    }
    const verdict = verdictLine(c, true);
    if (verdict.length) out.push(...verdict, '');
    if (c.errors.length) {
      out.push('Errors:', '');
      for (const f of c.errors) out.push(`- ${code(location(f))} ${code(f.rule)} ${md(f.message)}`);
      out.push('');
    }
  }
  // Sections start and end with a blank line, one-line canisters run together as a list.
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\n+$/, '') + '\n'
  );
}

function counts(report: UpgradeReport): string {
  const n = (s: CanisterReport['state']) => report.canisters.filter((c) => c.state === s).length;
  if (report.canisters.length === 0) return 'No canister under these paths uses stable structures or stable variables.';
  const parts = [`${n('changed')} changed`, `${n('unchanged')} unchanged`];
  const errors = report.canisters.filter((c) => c.errors.length).length;
  if (errors) parts.push(`${errors} with errors`);
  if (n('no-baseline')) parts.push(`${n('no-baseline')} without a baseline`);
  if (n('not-compiled')) parts.push(`${n('not-compiled')} not compiled`);
  return `${report.canisters.length} canister(s): ${parts.join(', ')}.`;
}

/** For a terminal: the same content as the Markdown, without markup. */
export function formatReportText(report: UpgradeReport): string {
  const out = [`Upgrade report against ${report.baseline}. ${counts(report)}`];
  for (const c of report.canisters) {
    out.push(`${c.name} (${LANGUAGE[c.language]}, ${c.path}): ${summary(c)}`);
    if (c.changes.length === 0 && c.errors.length === 0 && c.verdict?.compatible !== false) continue;
    const width = Math.max(...c.changes.map((ch) => ch.subject.length), 0);
    for (const ch of c.changes) {
      const values = ch.before !== undefined && ch.after !== undefined ? `: ${ch.before} -> ${ch.after}` : `: ${ch.before ?? ch.after ?? ''}`;
      out.push(`  ${ch.subject.padEnd(width)}  ${WHAT[ch.kind]}${values}`);
    }
    out.push(...verdictLine(c, false).map((l) => `  ${l}`));
    for (const f of c.errors) out.push(`  error ${location(f)} ${f.rule} ${f.message}`);
  }
  return out.join('\n') + '\n';
}
