import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '../server/src/rules/registry';
import { renderRuleDoc } from '../server/src/rules/docs';

const SETTING_PREFIX = 'stableLens.rules.';

/** The `contributes.configuration` properties for every rule. */
export function ruleSettings(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rules) {
    out[`${SETTING_PREFIX}${r.id}`] = {
      type: 'string',
      enum: ['default', 'off', 'hint', 'info', 'warning', 'error'],
      default: 'default',
      markdownDescription: `${r.docs.summary}. Default: \`${r.defaultSeverity}\`. [Documentation](https://github.com/stable-lens/stable-lens/blob/main/docs/rules/${r.id}.md)`,
    };
  }
  return out;
}

function rulesTable(): string {
  const rows = rules.map(
    (r) =>
      `| [\`${r.id}\`](${r.id}.md) | ${r.language === 'both' ? 'rust, motoko' : r.language} | ${r.defaultSeverity} | ${r.docs.fix ? 'yes' : ''} | ${r.docs.summary} |`,
  );
  return [
    '# Rules',
    '',
    'Generated from `server/src/rules/` by `npm run gen`.',
    '',
    '| rule | language | default | fix | summary |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** package.json with the generated rule settings replacing the old ones, other settings kept in place. */
function packageJson(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  pkg.contributes ??= {};
  pkg.contributes.configuration ??= { title: 'Stable Lens', properties: {} };
  const props: Record<string, unknown> = pkg.contributes.configuration.properties ?? {};
  const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith(SETTING_PREFIX)));
  pkg.contributes.configuration.properties = { ...kept, ...ruleSettings() };
  return JSON.stringify(pkg, null, 2) + '\n';
}

export function generatedFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules) out.set(`docs/rules/${r.id}.md`, renderRuleDoc(r));
  out.set('docs/rules/README.md', rulesTable());
  out.set('package.json', packageJson(root));
  return out;
}
