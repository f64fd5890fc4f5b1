import { lockedBound, normalizeType } from '../lockfile/build';
import { inLock } from '../lockfile/current';
import { newFieldFixes, recordLayoutFix } from '../lockfile/fixes';
import type { LockedBound } from '../lockfile/types';
import { usageOf } from '../lockfile/usage';
import type { FieldDecl } from '../rust/model/facts';
import { defineRule } from './api';

const describe = (b: LockedBound) =>
  b.kind === 'bounded' ? `Bounded { max_size: ${b.maxSize ?? '?'}, is_fixed_size: ${b.fixed ?? '?'} }` : b.kind === 'unbounded' ? 'Unbounded' : 'unknown';

function sameBound(a: LockedBound, b: LockedBound): boolean {
  if (a.kind !== 'bounded' || b.kind !== 'bounded') return a.kind === b.kind;
  return a.maxSize === b.maxSize && a.fixed === b.fixed;
}

/** The names a field is read back under: its own, plus serde `rename` and `alias` values. */
function serializedNames(f: FieldDecl): string[] {
  const out = [f.name];
  for (const attr of f.serde) {
    const m = /^(rename|alias)\s*=\s*"([^"]*)"$/.exec(attr);
    if (m) out.push(m[2]);
  }
  return out;
}

function tolerantOfMissing(f: FieldDecl, encoder: string): boolean {
  if (f.type.name === 'Option') return true;
  return encoder !== 'candid' && f.serde.some((a) => a === 'default' || a.startsWith('default ') || a.startsWith('default='));
}

const BEFORE = `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::storable::{Bound, Storable};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::RefCell;

type Memory = VirtualMemory<DefaultMemoryImpl>;

#[derive(Serialize, Deserialize)]
struct User {
    name: String,
}

impl Storable for User {
    fn to_bytes(&self) -> Cow<[u8]> {
        let mut out = vec![];
        ciborium::into_writer(self, &mut out).unwrap();
        Cow::Owned(out)
    }
    fn into_bytes(self) -> Vec<u8> {
        self.to_bytes().into_owned()
    }
    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::from_reader(bytes.as_ref()).unwrap()
    }
    const BOUND: Bound = Bound::Unbounded;
}

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, User, Memory>> = RefCell::new(StableBTreeMap::init(
        MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
}
`;

export default defineRule({
  id: 'storable-schema-break',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary: 'A stored type changed in a way its old bytes cannot be decoded with',
    why: [
      'Stable structures keep the bytes `to_bytes` wrote; after an upgrade the new `from_bytes` decodes them.',
      'A removed or renamed field, a changed field type, or a new field without `#[serde(default)]` or `Option` makes CBOR and serde decoding fail ("missing field"); candid needs new fields to be `opt`.',
      'Changing the encoder (candid, CBOR, JSON) hands old bytes to the wrong decoder.',
      'A fixed-size key stores no length, so changing its size or fixed flag, or making a key Unbounded, breaks the B-tree layout; Vec and MinHeap refuse any bound change at init.',
    ].join('\n'),
    before: BEFORE,
    bad: BEFORE.replace('    name: String,\n', '    name: String,\n    email: String,\n'),
    good: BEFORE.replace('    name: String,\n', '    name: String,\n    #[serde(default)]\n    email: String,\n'),
    fix: 'Adds `#[serde(default)]` to a new field, or wraps its type in `Option`.',
  },
  checkRust(ctx) {
    const baseline = ctx.baseline;
    if (!baseline) return;
    const model = ctx.model;
    const usage = usageOf(baseline.lock);
    const record = recordLayoutFix(model, baseline);
    const report = ctx.report;
    ctx = { ...ctx, report: (f) => report({ ...f, fixes: f.fixes ?? (record ? [record] : undefined) }) };
    for (const [name, was] of Object.entries(baseline.lock.storables)) {
      const impl = model.storable(name);
      const def = model.typeDef(name);
      if (!impl && !def) continue;
      const related = (what: string) => [inLock(baseline, ['storables', name], `recorded: ${what}`)];
      const now = impl ? lockedBound({ text: name, name, path: name, args: [], loc: impl.typeLoc }, model) : was.bound;
      const boundLoc = impl?.boundLoc ?? impl?.typeLoc;
      const boundChanged = !sameBound(now, was.bound) && now.kind !== 'unknown' && was.bound.kind !== 'unknown';
      if (boundChanged && boundLoc) {
        if (usage.keys.has(name) && was.bound.kind === 'bounded' && was.bound.fixed && now.kind === 'bounded') {
          ctx.report({
            message: `\`${name}\` is a fixed-size key stored without a length: changing it from ${describe(was.bound)} to ${describe(now)} misreads every stored key`,
            loc: boundLoc,
            related: related(describe(was.bound)),
          });
        } else if (usage.keys.has(name) && was.bound.kind === 'bounded' && now.kind === 'unbounded') {
          ctx.report({
            message: `\`${name}\` is a key that was Bounded: making it Unbounded changes how stored keys are laid out`,
            loc: boundLoc,
            related: related(describe(was.bound)),
          });
        } else if (usage.elements.has(name)) {
          ctx.report({
            message: `\`${name}\` is a StableVec/StableMinHeap element: its bound changed from ${describe(was.bound)} to ${describe(now)}, and init refuses the old vector`,
            loc: boundLoc,
            related: related(describe(was.bound)),
          });
        } else if (usage.tupleKeys.has(name) && was.bound.kind === 'bounded' && now.kind === 'bounded' && was.bound.maxSize !== now.maxSize) {
          ctx.report({
            message: `\`${name}\` sits in a tuple key padded to its max_size: changing it from ${was.bound.maxSize} to ${now.maxSize} misreads stored keys`,
            loc: impl?.maxSizeLoc ?? boundLoc,
            related: related(describe(was.bound)),
          });
        }
      }
      if (impl && was.encoder !== 'none' && impl.encoder !== 'unknown' && was.encoder !== 'unknown' && impl.encoder !== was.encoder) {
        ctx.report({
          message: `\`${name}\` was stored with ${was.encoder} and is now encoded with ${impl.encoder}: old bytes reach the wrong decoder`,
          loc: impl.encoderLoc ?? impl.typeLoc,
          related: related(`encoder ${was.encoder}`),
        });
      }
      if (!def || was.fields.length === 0) continue;
      const encoder = impl?.encoder ?? was.encoder;
      for (const old of was.fields) {
        const match = def.fields.find((f) => serializedNames(f).includes(old.name));
        if (!match) {
          ctx.report({
            message: `Field \`${old.name}\` of \`${name}\` was removed or renamed: stored values still carry it (keep it, or rename with #[serde(rename = "${old.name}")])`,
            loc: def.loc,
            related: related(`field ${old.name}: ${old.type}`),
          });
        } else if (normalizeType(match.type, model) !== old.type) {
          ctx.report({
            message: `Field \`${match.name}\` of \`${name}\` changed type from \`${old.type}\` to \`${normalizeType(match.type, model)}\`: stored values no longer decode`,
            loc: match.type.loc,
            related: related(`field ${old.name}: ${old.type}`),
          });
        }
      }
      const oldNames = new Set(was.fields.map((f) => f.name));
      for (const f of def.fields) {
        if (serializedNames(f).some((n) => oldNames.has(n)) || tolerantOfMissing(f, encoder)) continue;
        const need = encoder === 'candid' ? 'an `Option` (candid `opt`)' : '`Option` or `#[serde(default)]`';
        const fixes = [...newFieldFixes(f, ctx.text(f.loc.file), encoder === 'candid'), ...(record ? [record] : [])];
        ctx.report({
          message: `New field \`${f.name}\` of \`${name}\` is missing from every stored value: make it ${need}`,
          loc: f.loc,
          related: related(`fields ${[...oldNames].join(', ')}`),
          fixes,
        });
      }
    }
  },
});
