import { UPGRADE_HOOKS } from '../motoko/model/model';
import { defineRule } from './api';

export default defineRule({
  id: 'upgrade-hook-in-persistent-actor',
  language: 'motoko',
  defaultSeverity: 'warning',
  docs: {
    summary: 'A persistent actor still has a `system func preupgrade` or `postupgrade` hook',
    why: [
      'In a persistent actor every `let` and `var` is stable: enhanced orthogonal persistence keeps it across upgrades with no code at all.',
      'An upgrade hook left over from the old copy-to-stable pattern only adds risk.',
      'A `preupgrade` that traps, or runs out of instructions while it copies a large collection, makes every later upgrade fail, and the canister can then never be upgraded again.',
      'Keep the data in stable fields (for example a `Map` from `mo:core`) and delete the hook.',
    ].join('\n'),
    bad: `persistent actor {
  var saved : Nat = 0;
  transient var visits : Nat = 0;

  public func visit() : async Nat {
    visits += 1;
    visits;
  };

  system func preupgrade() {
    saved := visits;
  };
};
`,
    good: `import Map "mo:core/Map";
import Nat "mo:core/Nat";

persistent actor {
  let names = Map.empty<Nat, Text>();

  public func add(id : Nat, name : Text) : async () {
    Map.add(names, Nat.compare, id, name);
  };
};
`,
    fix: 'Removes the hook when its body only copies between stable and transient fields (`saved := names`). Make the transient field stable first, or its data is lost at the next upgrade.',
  },
  checkMotoko(ctx) {
    for (const actor of ctx.file.actors) {
      if (!actor.persistent) continue;
      const why = actor.persistentBy === 'flag' ? 'compiled with --default-persistent-actors' : 'persistent';
      for (const fn of actor.functions) {
        if (fn.visibility !== 'system' || !UPGRADE_HOOKS.has(fn.name)) continue;
        const stability = new Map(actor.fields.flatMap((f) => f.names.map((n) => [n, f.stability] as const)));
        const removable = fn.copiesOnly && fn.copies.every(([to, from]) => stability.get(to) !== stability.get(from));
        // The line ends after the hook's `;`, so deleting whole lines leaves no blank hole behind.
        const lineStart = ctx.text.lastIndexOf('\n', fn.loc.start - 1) + 1;
        const onlyHookOnLine = ctx.text.slice(lineStart, fn.loc.start).trim() === '';
        const after = (onlyHookOnLine ? /^[ \t]*;?[ \t]*\r?\n?/ : /^[ \t]*;?/).exec(ctx.text.slice(fn.loc.end))![0];
        // The blank line that separated the hook from the declaration above goes with it.
        const blankAbove = onlyHookOnLine ? (/\n[ \t]*\r?\n$/.exec(ctx.text.slice(0, lineStart))?.[0].length ?? 1) - 1 : 0;
        ctx.report({
          message: `\`${fn.name}\` is not needed: the actor is ${why}, so its fields survive upgrades without it`,
          loc: fn.nameLoc,
          fixes: removable
            ? [
                {
                  title: `Remove the \`${fn.name}\` hook`,
                  kind: 'unsafe',
                  edits: [{ file: fn.loc.file, start: onlyHookOnLine ? lineStart - blankAbove : fn.loc.start, end: fn.loc.end + after.length, newText: '' }],
                },
              ]
            : [],
        });
      }
    }
  },
});
