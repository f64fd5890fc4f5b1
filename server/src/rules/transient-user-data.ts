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

/**
 * The type names inside a collection's type arguments (`FileId`, `Chunk` for `Map<FileId, [var Chunk]>`),
 * from its annotation or its initializer: a staging buffer holds what the field it feeds holds.
 */
function elementWords(field: MotokoField): string[] {
  const text = field.typeText ?? field.initializer?.text ?? '';
  const open = text.indexOf('<');
  let inner = text;
  if (open >= 0) {
    let depth = 0;
    let end = open;
    for (; end < text.length; end++) {
      if (text[end] === '<') depth++;
      else if (text[end] === '>' && --depth === 0) break;
    }
    inner = text.slice(open + 1, end);
  }
  return [...new Set(inner.match(/[A-Za-z_]\w*/g) ?? [])].filter((w) => w !== 'var');
}

/**
 * Whether a transient collection holds nothing that must outlive an upgrade, judged from its type and
 * how the actor uses it. `kept` are the fields that survive upgrades.
 */
function holdsNoData(actor: MotokoActor, field: MotokoField, writes: Map<MotokoFunction, Set<string>>, kept: Set<string>): boolean {
  const declared = `${field.typeText ?? ''} ${field.initializer?.text ?? ''}`;
  // The IC cancels every timer on upgrade: their ids are stale afterwards, and the code arms new ones.
  if (/\bTimerId\b/.test(declared)) return true;
  // Per-caller timestamps are rate-limit windows or last-seen marks: losing them resets a window.
  if (/\b(Time\.Time|Timestamp)\b/.test(declared)) return true;
  // A cache by name and by role: what it holds is computed again on demand.
  if (field.names.some((n) => /cache|memo/i.test(n))) return true;
  return actor.functions.some((fn) => {
    const removed = field.names.filter((n) => fn.removes.includes(n));
    if (!removed.length) return false;
    // Put in and taken out by the same call: a lock or guard, empty between calls.
    if (removed.some((n) => fn.adds.includes(n))) return true;
    // Taken out where entries of the same types go into state that survives: a staging buffer for work in progress.
    const own = elementWords(field);
    const fieldOf = (name: string) => actor.fields.find((f) => f.names.includes(name));
    return [...(writes.get(fn) ?? [])].some((w) => {
      const target = kept.has(w) && !field.names.includes(w) ? fieldOf(w) : undefined;
      if (!target || !own.length) return false;
      const theirs = new Set(elementWords(target));
      return own.every((word) => theirs.has(word));
    });
  });
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
      'Not reported: timer ids (the IC cancels timers on upgrade), per-caller timestamps (rate-limit windows), caches, locks that the same call fills and empties, and staging buffers whose entries move into stable state when the work finishes.',
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
      const kept = new Set([...saved, ...actor.fields.filter((f) => f.stability === 'stable').flatMap((f) => f.names)]);
      for (const field of actor.fields) {
        if (field.stability !== 'transient' || !field.collection) continue;
        // An unannotated field of a plain actor is the compiler's M0219 unless the actor is a legacy one.
        if ((!field.keyword && !ctx.mode.legacy) || field.names.some((n) => saved.has(n))) continue;
        if (holdsNoData(actor, field, writes, kept)) continue;
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
