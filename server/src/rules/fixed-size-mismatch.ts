import { storedOnlyInCells } from '../rust/analysis/statics';
import type { CanisterModel } from '../rust/model/canister';
import { FIELD_ENCODERS } from '../rust/model/storable';
import type { Encoder, StorableImpl, TypeDef, TypeRef } from '../rust/model/facts';
import { defineRule } from './api';

/** Encoders whose output length depends on the value even for integers. */
const VARIABLE_ENCODERS: Partial<Record<Encoder, string>> = { cbor: 'CBOR', json: 'JSON' };

/** Why values of a type vary in length, or undefined when every field is fixed. */
function variableType(model: CanisterModel, t: TypeRef, seen: Set<string>): string | undefined {
  if (model.holdsUnbounded(t)) return 'has no fixed length';
  if (t.name === 'Option') return 'encodes `None` shorter than `Some`';
  if (t.name === 'Principal') return 'is 0 to 29 bytes long';
  const def = model.typeDef(t.name);
  if (!def || seen.has(def.name)) return undefined;
  seen.add(def.name);
  return variableField(model, def, seen) ? 'varies in length' : undefined;
}

function variableField(model: CanisterModel, def: TypeDef, seen = new Set([def.name])): string | undefined {
  const parts = def.fields.length
    ? def.fields.map((f) => ({ label: `field \`${f.name}\``, type: f.type }))
    : def.variantTypes.map((t, i) => ({ label: def.kind === 'struct' ? `field \`${i}\`` : 'variant', type: t }));
  for (const p of parts) {
    const why = variableType(model, p.type, seen);
    if (why) return `its ${p.label} (\`${p.type.text}\`) ${why}`;
  }
  return undefined;
}

/** Calls that read or write a value as raw memory: `std::ptr::read`, `slice::from_raw_parts`, `mem::transmute`. */
const LAYOUT_COPIES = new Set(['from_raw_parts', 'transmute', 'transmute_copy', 'read_unaligned']);

/** True when the impl's methods turn bytes into the value by copying its memory layout. */
function copiesItsLayout(model: CanisterModel, imp: StorableImpl): boolean {
  return model
    .methodsOf(imp)
    .some((f) => f.calls.some((c) => !c.isMethod && (LAYOUT_COPIES.has(c.name) || (c.name === 'read' && c.path.split('::').includes('ptr')))));
}

/** True when one of the impl's own methods (`to_bytes`, `into_bytes`) compares the length it writes. */
function checksItsLength(model: CanisterModel, imp: StorableImpl): boolean {
  return model.methodsOf(imp).some((f) => model.reach(f, true).checksLength);
}

export default defineRule({
  id: 'fixed-size-mismatch',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: '`is_fixed_size: true` on a type whose encoding varies in length',
    why: [
      '`is_fixed_size: true` promises that every value encodes to exactly `max_size` bytes, so structures store no length for it.',
      'From 0.6 each write asserts this and panics with "expected a fixed-size element with length N bytes, but found M bytes" when a value is shorter.',
      'CBOR and JSON encode integers in a variable number of bytes, and `String`, `Vec`, `Option` and `Principal` fields vary under every encoder.',
      'Where no check runs (0.5, `StableVec` before 0.6.2) the missing length makes the value read back wrong.',
      'The other way round is a risk too, reported as info: a type stored as its own memory layout (`std::ptr::read`, `slice::from_raw_parts`) is exactly its size every time, so `is_fixed_size: false` stores a length per entry for nothing, and any change to its fields or their order changes what old entries decode to.',
      'A hand-written encoding decides its own width: when its `to_bytes` checks the length it writes (`assert_eq!(bytes.len(), 36)`) nothing is reported, and otherwise the finding is info, since it may pad or truncate.',
    ].join('\n'),
    bad: `use ic_stable_structures::storable::{Bound, Storable};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Serialize, Deserialize)]
struct Account {
    id: u64,
    balance: u64,
}

impl Storable for Account {
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
    const BOUND: Bound = Bound::Bounded { max_size: 64, is_fixed_size: true };
}
`,
    good: `use ic_stable_structures::storable::{Bound, Storable};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Serialize, Deserialize)]
struct Account {
    id: u64,
    balance: u64,
}

impl Storable for Account {
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
    const BOUND: Bound = Bound::Bounded { max_size: 64, is_fixed_size: false };
}
`,
    fix: 'Sets `is_fixed_size: false`; this changes the layout of keys already stored, so it is not applied by "fix all".',
  },
  checkRust(ctx) {
    const model = ctx.model;
    for (const imp of model.storables) {
      const b = imp.bound;
      if (b?.kind === 'bounded' && b.isFixed === false && imp.isFixedLoc && copiesItsLayout(model, imp)) {
        ctx.report({
          message: `\`${imp.typeName}\` is stored as its own memory layout, so every value is exactly its size: \`is_fixed_size: false\` stores a length per entry for nothing, and any change to its fields or their order silently changes what old entries decode to`,
          loc: imp.isFixedLoc,
          severity: 'info',
        });
        continue;
      }
      if (b?.kind !== 'bounded' || b.isFixed !== true || !imp.isFixedLoc) continue;
      const encoder = VARIABLE_ENCODERS[imp.encoder];
      const def = model.typeDef(imp.typeName);
      const reason = encoder ? `its ${encoder} encoding varies in length with the value` : def && variableField(model, def);
      if (!reason) continue;
      const loc = imp.isFixedLoc;
      // Bytes the crate builds itself may have a fixed width whatever the field types say: an
      // encoder that checks the length it writes settles it, and one that does not leaves it open.
      const handWritten = !FIELD_ENCODERS.has(imp.encoder);
      if (handWritten && checksItsLength(model, imp)) continue;
      // In a StableCell alone the claim is wrong but harmless today: the cell never reads BOUND.
      const cellOnly = storedOnlyInCells(model, imp.typeName);
      const note = cellOnly
        ? ' (only a StableCell stores it today, which never checks the bound)'
        : handWritten
          ? ' (unless its hand-written encoding pads or checks every value)'
          : '';
      ctx.report({
        message: `\`${imp.typeName}\` is declared fixed-size but ${reason}, while the library needs every value to be exactly \`max_size\` bytes${note}`,
        loc,
        severity: handWritten ? 'info' : cellOnly ? 'warning' : undefined,
        fixes: [{ title: 'Set `is_fixed_size: false`', kind: 'unsafe', edits: [{ file: loc.file, start: loc.start, end: loc.end, newText: 'false' }] }],
      });
    }
  },
});
