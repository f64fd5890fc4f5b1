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
      'A hook that still carries `transient` fields across the upgrade is reported at info with the fields it carries: deleting it first would lose them, so make them stable, then remove both hooks.',
    ].join('\n'),
    bad: `persistent actor {
  var visits : Nat = 0;
  var saved : Nat = 0;

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
    fix: 'Removes the hook when it carries no transient field and its body only copies between stable fields (`saved := names`).',
  },
  checkMotoko(ctx) {
    for (const actor of ctx.file.actors) {
      if (!actor.persistent) continue;
      const why = actor.persistentBy === 'flag' ? 'compiled with --default-persistent-actors' : 'persistent';
      const transient = new Set(actor.fields.filter((f) => f.stability === 'transient').flatMap((f) => f.names));
      const hooks = actor.functions.filter((fn) => fn.visibility === 'system' && UPGRADE_HOOKS.has(fn.name));
      // What the hooks carry across an upgrade: transient fields `preupgrade` reads or `postupgrade` fills.
      const saved = [...new Set(hooks.flatMap((fn) => (fn.name === 'preupgrade' ? fn.reads : fn.writes.map((w) => w.name))))].filter((n) => transient.has(n));
      for (const fn of hooks) {
        if (saved.length) {
          // Deleting these hooks would drop the data they carry: the fields must become stable first.
          const names = saved.map((n) => `\`${n}\``).join(', ');
          ctx.report({
            message: `\`${fn.name}\` carries the transient ${saved.length > 1 ? 'fields' : 'field'} ${names} across upgrades, so it is needed while ${saved.length > 1 ? 'they are' : 'it is'} transient: to drop it, make ${saved.length > 1 ? 'them' : 'it'} stable first (remove \`transient\`; a class instance must become stable data, such as a \`mo:core\` Map), then remove both hooks`,
            loc: fn.nameLoc,
            severity: 'info',
          });
          continue;
        }
        const removable = fn.copiesOnly;
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
