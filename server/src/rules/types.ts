import type { CanisterModel } from '../model/rust/canister';
import type { LoadedLock } from '../lockfile/io';
import type { Loc } from '../model/types';
import type { MotokoFileModel, PersistenceMode } from '../motoko/model';
import type { MotokoUpgrade } from '../motoko/upgrade';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off' | 'default';

export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** Safe fixes keep behaviour and data; only they are applied by "fix all". */
  kind: 'safe' | 'unsafe';
  edits: TextEdit[];
}

export interface Related {
  loc: Loc;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  loc: Loc;
  related?: Related[];
  /** `unnecessary` fades the span in editors (an unused suppression). */
  tags?: ('unnecessary' | 'deprecated')[];
  fixes?: Fix[];
  /** Fixes too costly to build for every analysis: built on first use by `fixesOf`, e.g. when the editor asks for code actions. */
  lazyFixes?: () => Fix[] | undefined;
}

/** A finding's fixes, building lazy ones once. */
export function fixesOf(f: Finding): Fix[] {
  if (!f.fixes && f.lazyFixes) f.fixes = f.lazyFixes() ?? [];
  return f.fixes ?? [];
}

export type Report = Omit<Finding, 'rule' | 'severity'>;

export interface RuleDocs {
  /** One line, no trailing period: feeds the rules table and the settings description. */
  summary: string;
  /** Why it is bad: what goes wrong at upgrade time. */
  why: string;
  /** A complete bad example: the docs test expects exactly one finding of this rule. */
  bad: string;
  /** The same code done right: the docs test expects no finding at all. */
  good: string;
  /** What the quick fix does, when there is one. */
  fix?: string;
  /**
   * For upgrade-compatibility rules: the previous version's source. Its layout is the baseline the
   * bad and good examples are checked against, as if recorded in stable-layout.lock.json.
   */
  before?: string;
  /**
   * The Motoko side of a Rust rule that checks both languages (same id, same setting): its own
   * previous version, bad and good examples, checked by the docs test like the Rust ones.
   */
  motoko?: { before?: string; bad: string; good: string };
}

export interface RuleContext {
  model: CanisterModel;
  /** The text of a file of the crate, for fixes that need surrounding source. */
  text(file: string): string;
  report(finding: Report): void;
  /** What the deployed version promised (stable-layout.lock.json or a configured baseline), if known. */
  baseline?: LoadedLock;
  /** False when nobody will apply fixes (a CLI check): a rule may then skip building costly ones. */
  wantsFixes: boolean;
}

/** What a Motoko rule sees: one file's model, extracted from the compiler's AST. */
export interface MotokoRuleContext {
  file: MotokoFileModel;
  text: string;
  /** The persistence mode the file compiles with (`--default-persistent-actors`, `--legacy-actors`). */
  mode: PersistenceMode;
  report(finding: Report): void;
  /** For a canister's main file with a baseline (its lockfile, a git revision or a built `.most`): the recorded version and the compiler's verdict. */
  upgrade?: MotokoUpgrade;
}

/** The Motoko check of a rule whose language is Rust: it reports under the rule's id and setting. */
export interface MotokoTwin {
  rule: Rule;
  check(ctx: MotokoRuleContext): void;
}

interface RuleBase {
  id: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
}

export interface RustRule extends RuleBase {
  language: 'rust';
  check(ctx: RuleContext): void;
}

export interface MotokoRule extends RuleBase {
  language: 'motoko';
  check(ctx: MotokoRuleContext): void;
}

export type Rule = RustRule | MotokoRule;

export function defineRule(rule: Rule): Rule {
  return rule;
}
