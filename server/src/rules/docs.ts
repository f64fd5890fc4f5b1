import type { Rule } from './api';

/** The docs page of a rule, generated into docs/rules/<id>.md and printed by `stable-lens explain`. */
export function renderRuleDoc(rule: Rule): string {
  const lang = rule.language === 'motoko' ? 'motoko' : 'rust';
  const parts = [
    `# ${rule.id}`,
    '',
    `${rule.docs.summary}.`,
    '',
    `- Language: ${{ rust: 'Rust', motoko: 'Motoko', both: 'Rust and Motoko' }[rule.language]}`,
    `- Default severity: ${rule.defaultSeverity}`,
    `- Quick fix: ${rule.docs.fix ? 'yes' : 'no'}`,
    '',
    '## Why is this bad?',
    '',
    rule.docs.why,
    '',
    ...(rule.docs.before
      ? [
          '## Previous version',
          '',
          'The checks compare against the layout this version recorded in `stable-layout.lock.json`:',
          '',
          '```' + lang,
          rule.docs.before.trimEnd(),
          '```',
          '',
        ]
      : []),
    '## Example',
    '',
    '```' + lang,
    rule.docs.bad.trimEnd(),
    '```',
    '',
    '## Use instead',
    '',
    '```' + lang,
    rule.docs.good.trimEnd(),
    '```',
    '',
  ];
  const mo = rule.docs.motoko;
  if (mo) {
    parts.push('## Motoko', '');
    if (mo.before) parts.push('Previous version, as recorded in `stable-layout.lock.json`:', '', '```motoko', mo.before.trimEnd(), '```', '');
    parts.push('Example:', '', '```motoko', mo.bad.trimEnd(), '```', '', 'Use instead:', '', '```motoko', mo.good.trimEnd(), '```', '');
  }
  if (rule.docs.fix) parts.push('## Quick fix', '', rule.docs.fix, '');
  parts.push(
    '## Configuration',
    '',
    `In VS Code: \`"stableLens.rules.${rule.id}": "off" | "hint" | "info" | "warning" | "error" | "default"\`.`,
    `On the command line: \`stable-lens check --rule ${rule.id}=off\`.`,
    '',
    '## Suppression',
    '',
    '```' + lang,
    `// stable-lens-ignore ${rule.id}: <why this is safe here>`,
    '```',
    '',
    `on the line above the finding, or \`// stable-lens-ignore-file ${rule.id}: <reason>\` for the whole file.`,
    'The reason is required.',
    '',
  );
  return parts.join('\n');
}
