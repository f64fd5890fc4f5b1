import type { Finding } from '../../core/findings';
import type { MotokoField, MotokoFileModel, PersistenceMode } from '../model/model';
import type { CompilerDiagnostic } from '../compiler/protocol';

/** The compiler's persistence checks that Stable Lens can repeat from the AST alone. */
export const FALLBACK_CODES = new Set(['M0131', 'M0218', 'M0219', 'M0220']);

/** Diagnostics that the persistence checks themselves produce: they prove the compiler got that far. */
const PERSISTENCE_CODES = new Set(['M0131', 'M0132', 'M0133', 'M0217', 'M0218', 'M0219', 'M0220']);

export const MESSAGES = {
  M0218: 'redundant `stable` keyword, this declaration is implicitly stable',
  M0219: 'this declaration is currently implicitly transient, please declare it explicitly `transient`',
  M0220: 'this actor or actor class should be declared `persistent`',
};

/**
 * True when the compiler's persistence verdict for `file` is missing: it did not run, or it stopped
 * on another error (a missing package or a type error) before it reached the actor's fields.
 */
export function needsFallback(compiled: boolean, diagnostics: CompilerDiagnostic[], file: string, hiddenErrors = 0): boolean {
  if (!compiled || hiddenErrors > 0) return !diagnostics.some((d) => d.loc.file === file && PERSISTENCE_CODES.has(d.code));
  const own = diagnostics.filter((d) => d.loc.file === file);
  if (own.some((d) => PERSISTENCE_CODES.has(d.code))) return false;
  return diagnostics.some((d) => d.severity === 'error' && !PERSISTENCE_CODES.has(d.code));
}

/**
 * M0131 for what the AST shows to be non-stable: a class instance (`HashMap`, `Buffer`) or a
 * function type. Without types (a package is missing) nothing else can be told apart.
 */
function nonStable(field: MotokoField): Finding | undefined {
  const func = field.typeText !== undefined && /->/.test(field.typeText);
  if (field.stability !== 'stable' || field.names.length !== 1 || (!field.classBased && !func)) return undefined;
  const what = func ? `the function type ${field.typeText}` : 'a class instance, which has methods';
  const message = `variable ${field.names[0]} is declared stable but has non-stable type: ${what}`;
  return { rule: 'M0131', severity: 'error', message, loc: field.nameLoc };
}

/** M0131, M0218, M0219 and M0220 as the compiler would report them, found from the model of the file. */
export function persistenceFallback(model: MotokoFileModel, mode: PersistenceMode): Finding[] {
  const out: Finding[] = [];
  for (const actor of model.actors) {
    for (const f of actor.fields) {
      const finding = nonStable(f);
      if (finding) out.push(finding);
    }
    if (actor.persistent) {
      for (const f of actor.fields) {
        if (f.keyword?.word === 'stable') out.push({ rule: 'M0218', severity: 'warning', message: MESSAGES.M0218, loc: f.keyword.loc });
      }
      continue;
    }
    if (mode.legacy) continue;
    const implicit = actor.fields.filter((f) => !f.keyword);
    for (const f of implicit)
      out.push({ rule: 'M0219', severity: 'error', message: MESSAGES.M0219, loc: { file: f.loc.file, start: f.decStart, end: f.loc.end } });
    if (implicit.length === 0) out.push({ rule: 'M0220', severity: 'error', message: MESSAGES.M0220, loc: actor.actorKeyword });
  }
  return out;
}
