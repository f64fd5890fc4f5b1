import { signatureLineOf } from '../lockfile/motoko';
import type { Loc } from '../core/loc';
import type { MotokoActor } from '../motoko/model/model';
import { motokoRecordFix } from './fixes/motokoRecord';
import { variableOf } from '../lockfile/motokoUpgrade';
import { defineRule } from './api';

const BEFORE = `persistent actor Ledger {
  type Entry = { from : Text; amount : Nat };

  var last : ?Entry = null;
  var total : Nat = 0;

  public func record(from : Text, amount : Nat) : async () {
    last := ?{ from; amount };
    total += amount;
  };
};
`;

const AFTER = (header: string) => `${header}persistent actor Ledger {
  type Entry = { from : Text; amount : Nat; memo : Text };

  var last : ?Entry = null;
  var total : Nat = 0;

  public func record(from : Text, amount : Nat, memo : Text) : async () {
    last := ?{ from; amount; memo };
    total += amount;
  };
};
`;

const MIGRATION = `// Old entries get an empty memo; the migration runs once, at the upgrade.
(
  with migration = func(old : { var last : ?{ from : Text; amount : Nat } }) : { var last : ?{ from : Text; amount : Nat; memo : Text } } {
    { var last = switch (old.last) { case null null; case (?e) ?{ e with memo = "" } } };
  }
)
`;

/**
 * The compiler's message as one sentence: whitespace collapsed, the documentation link dropped
 * (the rule's page has it) and its sentences joined as clauses.
 */
export function compatMessage(message: string): string {
  return message
    .replace(/\s+/g, ' ')
    .replace(/,?\s*please see https?:\/\/\S+/g, '')
    .trim()
    .replace(/\.$/, '')
    .replace(/\.\s+([A-Za-z])/g, (_, c: string) => `; ${c.toLowerCase()}`);
}

/** Where a finding about `name` belongs: its declaration, else the actor's name (the variable is gone). */
function declarationOf(actor: MotokoActor, name: string | undefined): Loc {
  const field = name === undefined ? undefined : actor.fields.find((f) => f.names.includes(name));
  return field?.nameLoc ?? actor.nameLoc ?? actor.actorKeyword;
}

export default defineRule({
  id: 'stable-signature-break',
  language: 'motoko',
  defaultSeverity: 'error',
  docs: {
    summary: "The actor's stable signature is not compatible with the recorded one: the upgrade fails or loses data",
    why: [
      'Motoko keeps stable variables across upgrades only when the new stable signature is compatible with the deployed one.',
      'Dropping a stable variable, narrowing its type, or adding or removing a record field is refused by the upgrade (M0169, M0170, M0216), and `dfx deploy` then asks whether to lose the data.',
      "The check is the compiler's own (`moc --stable-compatible`), run against the signature recorded in `stable-layout.lock.json`, a git revision or the `.most` dfx built last.",
      'Write an explicit migration function for the change, or record the new signature when no deployed canister holds the old one.',
    ].join('\n'),
    before: BEFORE,
    bad: AFTER(''),
    good: AFTER(MIGRATION),
    fix: 'Records the new stable signature in stable-layout.lock.json, for a change no deployed canister depends on (or after an upgrade with a migration).',
  },
  checkMotoko(ctx) {
    const upgrade = ctx.upgrade;
    const actor = ctx.file.actors[0];
    if (!upgrade?.compatibility || !actor) return;
    const { baseline } = upgrade;
    let record: ReturnType<typeof motokoRecordFix> | null = null;
    for (const d of upgrade.compatibility.diagnostics) {
      const name = variableOf(d.message);
      const line = name === undefined ? undefined : signatureLineOf(baseline.entry.signature, name);
      const recorded = line === undefined ? undefined : baseline.entry.signature[line];
      const span = baseline.locateVariable(name ?? '');
      ctx.report({
        message: `${compatMessage(d.message)} (${d.code})`,
        loc: declarationOf(actor, name),
        related: [
          {
            loc: { file: baseline.file, ...span },
            message: recorded
              ? `recorded in ${baseline.label}: ${recorded.trim().replace(/;$/, '').replace(/__\d+/g, '')}`
              : `the signature recorded in ${baseline.label}`,
          },
        ],
        lazyFixes: () => {
          record ??= motokoRecordFix(upgrade, ctx.file) ?? null;
          return record ? [record] : [];
        },
      });
    }
  },
});
