import type { CanisterModel } from '../rust/model/canister';
import type { LoadedLock } from '../lockfile/io';
import type { Report, Severity } from '../core/findings';
import type { MotokoFileModel, PersistenceMode } from '../motoko/model/model';
import type { MotokoUpgrade } from '../lockfile/motokoUpgrade';

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
   * The Motoko side of a rule whose language is `both`: its own previous version, bad and good
   * examples, checked by the docs test like the Rust ones.
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

/** The sources a rule reads: one language, or both under one id, setting and docs page. */
export type Language = 'rust' | 'motoko' | 'both';

export interface Rule {
  id: string;
  language: Language;
  defaultSeverity: Severity;
  docs: RuleDocs;
  /** The Rust check: present exactly when the language is `rust` or `both`. */
  checkRust?(ctx: RuleContext): void;
  /** The Motoko check: present exactly when the language is `motoko` or `both`. */
  checkMotoko?(ctx: MotokoRuleContext): void;
  /** Reported by the rule loop itself once the other rules ran (unused suppressions): such a rule has no check. */
  reportedByEngine?: boolean;
}

/** Checks that a rule's language says what it checks, so a declaration cannot lie. */
export function defineRule(rule: Rule): Rule {
  const reads = (l: 'rust' | 'motoko') => rule.language === l || rule.language === 'both';
  const lies = rule.reportedByEngine ? !!(rule.checkRust || rule.checkMotoko) : reads('rust') !== !!rule.checkRust || reads('motoko') !== !!rule.checkMotoko;
  if (lies) throw new Error(`rule ${rule.id}: language '${rule.language}' does not match its checks`);
  return rule;
}

/** True when the rule reads sources of this language. */
export function readsLanguage(rule: Pick<Rule, 'language'>, language: 'rust' | 'motoko'): boolean {
  return rule.language === language || rule.language === 'both';
}
