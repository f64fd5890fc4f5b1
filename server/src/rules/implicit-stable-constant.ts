import { defineRule } from './api';

/** A literal as written: a number, a text or character, a Boolean, or a variant tag without payload (`#info`). */
const LITERAL = /^(-?[\d_]+(\.[\d_]+)?([eE][+-]?\d+)?|0x[\da-fA-F_]+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)'|true|false|#\w+)$/;

export default defineRule({
  id: 'implicit-stable-constant',
  language: 'motoko',
  defaultSeverity: 'hint',
  docs: {
    summary: 'A `let` with a literal in a persistent actor is stable by default: editing the literal later changes nothing on deployed canisters',
    why: [
      'In a persistent actor every `let` and `var` is stable unless it is `transient`, constants included.',
      'A stable `let` keeps the value it was first installed with: after `let fee = 10` is changed to `let fee = 20`, deployed canisters still use 10, and the upgrade reports nothing.',
      'When the value is configuration that later versions may change, declare it `transient let`: it is then set again on every upgrade. Removing a stable variable may need a migration; the upgrade check says so.',
    ].join('\n'),
    bad: `persistent actor Shop {
  let fee = 10;

  public query func price(amount : Nat) : async Nat {
    amount + fee;
  };
};
`,
    good: `persistent actor Shop {
  transient let fee = 10;

  public query func price(amount : Nat) : async Nat {
    amount + fee;
  };
};
`,
  },
  checkMotoko(ctx) {
    for (const actor of ctx.file.actors) {
      if (!actor.persistent) continue;
      for (const field of actor.fields) {
        if (field.kind !== 'let' || field.keyword || field.stability !== 'stable' || field.names.length !== 1) continue;
        const value = field.initializer?.text.trim();
        if (!value || !LITERAL.test(value)) continue;
        ctx.report({
          message: `\`${field.names[0]}\` is stable by default, so deployed canisters keep the value they were installed with: a later edit of \`${value}\` changes nothing for them; declare it \`transient let\` if it is configuration`,
          loc: field.nameLoc,
        });
      }
    }
  },
});
