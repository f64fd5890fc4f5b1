import { removeKeyword } from '../motoko/analysis/fixes';
import type { MotokoActor, MotokoField, MotokoFunction } from '../motoko/model/model';
import { defineRule } from './api';
import { type Fix } from '../core/findings';

/** The fields each function writes, including through the actor's own functions it calls. */
function writesWithCalls(actor: MotokoActor): Map<MotokoFunction, Set<string>> {
  const byName = new Map(actor.functions.map((f) => [f.name, f]));
  const memo = new Map<MotokoFunction, Set<string>>();
  const visit = (fn: MotokoFunction, seen: Set<MotokoFunction>): Set<string> => {
    const cached = memo.get(fn);
    if (cached) return cached;
    const out = new Set(fn.writes.map((w) => w.name));
    seen.add(fn);
    for (const callee of fn.calls.map((c) => byName.get(c))) {
      if (callee && !seen.has(callee)) for (const w of visit(callee, seen)) out.add(w);
    }
    seen.delete(fn);
    memo.set(fn, out);
    return out;
  };
  for (const fn of actor.functions) visit(fn, new Set());
  return memo;
}

function makeStable(text: string, actor: MotokoActor, field: MotokoField): Fix | undefined {
  if (field.classBased) return undefined;
  const name = field.names[0];
  const title = `Make \`${name}\` stable`;
  if (field.keyword && actor.persistent)
    return { title: `Remove \`${field.keyword.word}\`: \`${name}\` becomes stable`, kind: 'unsafe', edits: [removeKeyword(text, field.keyword.loc)] };
  if (field.keyword) return { title, kind: 'unsafe', edits: [{ ...field.keyword.loc, newText: 'stable' }] };
  return { title, kind: 'unsafe', edits: [{ file: field.loc.file, start: field.decStart, end: field.decStart, newText: 'stable ' }] };
}

export default defineRule({
  id: 'transient-user-data',
  language: 'motoko',
  defaultSeverity: 'warning',
  docs: {
    summary: 'A transient field holds a collection that a public update function writes: it is emptied on every upgrade',
    why: [
      'A `transient` field is initialised again on every upgrade: whatever users stored in it is gone afterwards, without an error or a warning.',
      'Caches and counters may be transient; a map of users, a list of orders or an array of balances written by a public update function is data.',
      'Make the field stable: in a persistent actor remove `transient`.',
      'Class-based collections (`HashMap`, `Buffer` from `mo:base`) are not stable types: switch to `Map`, `List` or `Queue` from `mo:core`, which are.',
    ].join('\n'),
    bad: `import Map "mo:core/Map";
import Nat "mo:core/Nat";

persistent actor {
  transient let users = Map.empty<Nat, Text>();

  public func register(id : Nat, name : Text) : async () {
    Map.add(users, Nat.compare, id, name);
  };
};
`,
    good: `import Map "mo:core/Map";
import Nat "mo:core/Nat";

persistent actor {
  let users = Map.empty<Nat, Text>();

  public func register(id : Nat, name : Text) : async () {
    Map.add(users, Nat.compare, id, name);
  };
};
`,
    fix: 'Removes `transient` so the field becomes stable. Not offered for class-based collections, which cannot be stable.',
  },
  checkMotoko(ctx) {
    for (const actor of ctx.file.actors) {
      const writes = writesWithCalls(actor);
      const writers = actor.functions.filter((f) => f.visibility === 'public' && f.sort === 'update');
      // A field that `preupgrade` reads is being saved into a stable one: the old pattern, but no data is lost.
      const saved = new Set(actor.functions.filter((f) => f.visibility === 'system' && f.name === 'preupgrade').flatMap((f) => f.reads));
      for (const field of actor.fields) {
        if (field.stability !== 'transient' || !field.collection) continue;
        // An unannotated field of a plain actor is the compiler's M0219 unless the actor is a legacy one.
        if ((!field.keyword && !ctx.mode.legacy) || field.names.some((n) => saved.has(n))) continue;
        const writer = writers.find((fn) => field.names.some((n) => writes.get(fn)?.has(n)));
        if (!writer) continue;
        const kind = field.collection === 'array' ? 'array' : field.collection;
        const fix = makeStable(ctx.text, actor, field);
        ctx.report({
          message: `\`${field.names[0]}\` is transient, so the ${kind} that \`${writer.name}\` writes is emptied on every upgrade`,
          loc: field.nameLoc,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
