import { storedOnlyInCells } from '../rust/analysis/statics';
import { findStorablePart, resolveAlias, structureTypes } from '../rust/model/bounds';
import type { CanisterModel } from '../rust/model/canister';
import type { Loc } from '../core/loc';
import type { FunctionDecl, StorableImpl, TypeDef, TypeRef } from '../rust/model/facts';
import { VALIDATIONS } from '../rust/model/functions';
import { FIELD_ENCODERS } from '../rust/model/storable';
import { defineRule } from './api';
import { type Fix } from '../core/findings';

interface Part {
  label: string;
  type: TypeRef;
  loc: Loc;
}

/** Named fields, tuple-struct fields (`0`, `1`) and enum payloads, each with a label for messages. */
function partsOf(def: TypeDef): Part[] {
  if (def.fields.length) return def.fields.map((f) => ({ label: `field \`${f.name}\``, type: f.type, loc: f.loc }));
  const label = (i: number) => (def.kind === 'struct' ? `field \`${i}\`` : 'variant payload');
  return def.variantTypes.map((t, i) => ({ label: label(i), type: t, loc: t.loc }));
}

/** True where the type must stay Bounded: inside a Vec/MinHeap element or a 2-tuple. */
function boundRequired(model: CanisterModel, name: string): boolean {
  const isIt = (t: TypeRef) => resolveAlias(t, model).name === name;
  return model.structures.some((s) =>
    structureTypes(s, model).some(({ type }) => {
      if (s.kind === 'StableVec' || s.kind === 'StableMinHeap') return !!findStorablePart(type, model, isIt);
      return !!findStorablePart(type, model, (t) => t.name === '()' && t.args.length === 2 && t.args.some(isIt));
    }),
  );
}

/**
 * The function that builds the type (`Name(..)` or `Name { .. }` through a call by the type's name)
 * after checking a length, itself or through what it calls: sizes are validated before storage.
 */
function lengthChecked(model: CanisterModel, typeName: string): FunctionDecl | undefined {
  // A validation method (`args.validate()?`) is found by name: some function of that name compares a length.
  const validates = (f: FunctionDecl) =>
    f.calls.some((c) => c.isMethod && VALIDATIONS.includes(c.name) && model.functionsNamed(c.name).some((v) => model.reach(v, true).checksLength));
  return model.callersOf(typeName).find((f) => model.reach(f, true).checksLength || validates(f));
}

function unboundedFix(imp: StorableImpl, text: string): Fix | undefined {
  if (!imp.boundValueLoc || !imp.boundLoc) return undefined;
  const prefix = text.slice(imp.boundValueLoc.start, imp.boundLoc.start);
  return {
    title: `Declare \`${imp.typeName}\` as \`${prefix}Unbounded\``,
    kind: 'unsafe',
    edits: [{ file: imp.boundValueLoc.file, start: imp.boundValueLoc.start, end: imp.boundValueLoc.end, newText: `${prefix}Unbounded` }],
  };
}

export default defineRule({
  id: 'unbounded-field-in-bounded-storable',
  language: 'rust',
  defaultSeverity: 'warning',
  docs: {
    summary: 'A `Bound::Bounded` type has a `String`, `Vec` or other field with no size limit',
    why: [
      'From 0.6 every write checks the encoded value against `max_size`, and a value that is too long panics with "expected an element with length <= N bytes".',
      'A `String` or `Vec` field can always grow past the limit, so one long name or list traps the call that stores it; before 0.6.2 a `StableVec` even overwrote the neighbouring slot (issue #168).',
      'Raising `max_size` later is not safe either: the docs warn it risks data corruption once deployed.',
      'Map keys and values may be `Bound::Unbounded` (0.6+), and a value type may move from Bounded to Unbounded later (PR #148).',
      'The finding is a warning when a serde, CBOR or Candid encoding writes the field as it is and no code checks a length before building the value; it is info when a function that builds it compares a length first (itself, through its callees or a `validate` method), or when the crate writes the bytes itself and may cap them. Types stored only in `StableCell`s are not reported: a cell never reads `BOUND`.',
    ].join('\n'),
    bad: `use ic_stable_structures::storable::{Bound, Storable};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Serialize, Deserialize)]
struct Profile {
    age: u8,
    bio: String,
}

impl Storable for Profile {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        let mut buf = vec![];
        ciborium::ser::into_writer(self, &mut buf).unwrap();
        Cow::Owned(buf)
    }
    fn into_bytes(self) -> Vec<u8> {
        self.to_bytes().into_owned()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::de::from_reader(bytes.as_ref()).unwrap()
    }
    const BOUND: Bound = Bound::Bounded { max_size: 256, is_fixed_size: false };
}
`,
    good: `use ic_stable_structures::storable::{Bound, Storable};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Serialize, Deserialize)]
struct Profile {
    age: u8,
    bio: String,
}

impl Storable for Profile {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        let mut buf = vec![];
        ciborium::ser::into_writer(self, &mut buf).unwrap();
        Cow::Owned(buf)
    }
    fn into_bytes(self) -> Vec<u8> {
        self.to_bytes().into_owned()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::de::from_reader(bytes.as_ref()).unwrap()
    }
    const BOUND: Bound = Bound::Unbounded;
}
`,
    fix: 'Replaces `Bound::Bounded { .. }` with `Bound::Unbounded`, unless the type is a `StableVec` element or part of a 2-tuple, which need a bound.',
  },
  checkRust(ctx) {
    const model = ctx.model;
    for (const imp of model.storables) {
      // 0.5's BoundedStorable has no unbounded alternative, and fixed-size types are fixed-size-mismatch's.
      if (imp.trait !== 'Storable' || imp.bound?.kind !== 'bounded' || imp.bound.isFixed === true || !imp.boundLoc) continue;
      const def = model.typeDef(imp.typeName);
      if (!def) continue;
      // A StableCell writes its one value whole and never reads BOUND: the bound limits nothing there.
      if (storedOnlyInCells(model, imp.typeName)) continue;
      const parts = partsOf(def).filter((p) => model.holdsUnbounded(p.type));
      if (!parts.length) continue;
      const names = parts.map((p) => `${p.label} (\`${p.type.text}\`)`);
      const list = names.length === 1 ? `its ${names[0]} has` : `its ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} have`;
      const fix = boundRequired(model, imp.typeName) ? undefined : unboundedFix(imp, ctx.text(imp.boundLoc.file));
      // A serde or candid encoding grows with every field; bytes the crate builds itself may truncate, pad or check.
      const byEncoding = FIELD_ENCODERS.has(imp.encoder);
      const checked = byEncoding ? lengthChecked(model, imp.typeName) : undefined;
      const message = !byEncoding
        ? `\`${imp.typeName}\` is declared Bounded but ${list} no size limit: unless its hand-written encoding caps the length, a long value panics on write`
        : checked
          ? `\`${imp.typeName}\` is declared Bounded but ${list} no size limit: \`${checked.name}\` checks a length before building it, so make sure every path that stores one does`
          : `\`${imp.typeName}\` is declared Bounded but ${list} no size limit, so a long value panics on write`;
      ctx.report({
        message,
        severity: byEncoding && !checked ? undefined : 'info',
        loc: imp.boundLoc,
        related: parts.map((p) => ({ loc: p.loc, message: `\`${p.type.text}\` has no size limit` })),
        fixes: fix ? [fix] : undefined,
      });
    }
  },
});
