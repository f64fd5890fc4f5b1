import { CodeActionKind, type CodeAction, type CodeActionContext, type Diagnostic } from 'vscode-languageserver';
import { FIX_ALL_KIND, SHOW_DOCS_COMMAND, type DiagnosticData } from '../protocol/requests';
import { docsUrl, ruleById } from '../rules/registry';
import { fixesOf, type Finding } from '../core/findings';
import { chooseFixes } from '../core/fixEngine';
import { findingKey, SOURCE } from './diagnostics';
import { suppressEdit, toWorkspaceEdit, type EditContext, type SuppressibleFile } from './edits';

/** A crate's analysis or a Motoko file's: findings, and the files whose suppressions are known. */
export interface ActionableResult {
  findings: Finding[];
  files: ReadonlyMap<string, SuppressibleFile>;
}

export const FIX_ALL_TITLE = 'Stable Lens: fix all safe problems in file';

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function dataOf(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  return d.source === SOURCE && typeof data?.key === 'string' && typeof data.rule === 'string' ? (data as DiagnosticData) : undefined;
}

/**
 * The actions for one file: per diagnostic its own fixes, then "suppress", then "show docs"; plus
 * the file-wide "fix all". A diagnostic from an older analysis finds no finding and gets nothing.
 */
export function codeActions(result: ActionableResult, file: string, context: CodeActionContext, edits: EditContext): CodeAction[] {
  const findings = new Map(result.findings.filter((f) => f.loc.file === file).map((f) => [findingKey(f), f]));
  const out: CodeAction[] = [];
  if (wants(context.only, CodeActionKind.QuickFix)) {
    const suppressed = new Set<string>();
    const documented = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const data = dataOf(diagnostic);
      const finding = data && findings.get(data.key);
      if (!finding) continue;
      for (const fix of fixesOf(finding)) {
        const edit = toWorkspaceEdit(fix.edits, edits);
        if (edit) out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred: fix.kind === 'safe' });
      }
      // Compiler codes and notes are not Stable Lens rules: no suppression comment or docs page applies.
      if (!ruleById(finding.rule)) continue;
      const line = diagnostic.range.start.line;
      const suppressKey = `${finding.rule}:${line}`;
      const source = result.files.get(file);
      const suppress = source && !suppressed.has(suppressKey) ? suppressEdit(source, finding.rule, line) : undefined;
      const suppressWorkspaceEdit = suppress && toWorkspaceEdit([suppress], edits);
      if (suppressWorkspaceEdit) {
        suppressed.add(suppressKey);
        out.push({ title: `Suppress ${finding.rule} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: suppressWorkspaceEdit });
      }
      if (!documented.has(finding.rule)) {
        documented.add(finding.rule);
        const title = `Show documentation for ${finding.rule}`;
        out.push({
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title, command: SHOW_DOCS_COMMAND, arguments: [docsUrl(finding.rule)] },
        });
      }
    }
  }
  if (wants(context.only, FIX_ALL_KIND)) {
    // The engine of `stable-lens fix` and of the fixture suite: the first safe fix of each finding in file order.
    const inOrder = [...findings.values()].sort((a, b) => a.loc.start - b.loc.start);
    const fixAll = chooseFixes(inOrder, (fix) => fix.kind === 'safe').flatMap((fix) => fix.edits);
    const edit = fixAll.length ? toWorkspaceEdit(fixAll, edits) : undefined;
    if (edit) out.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit });
  }
  return out;
}
