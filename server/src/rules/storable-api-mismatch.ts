import { compareVersion, type LibVersion } from '../rust/project/crate';
import type { CanisterModel } from '../rust/model/canister';
import type { StorableImpl, StructureDecl } from '../rust/model/facts';
import { defineRule, type RuleContext } from './api';

function label(v: LibVersion): string {
  return v.source === 'default' ? `${v.text} (assumed: no version is declared)` : v.text;
}

function usesLibrary(model: CanisterModel): boolean {
  return model.usesStableStructures || model.files.some((f) => f.uses.some((u) => u.path.startsWith('ic_stable_structures')));
}

/** Whether a constructor returns a `Result` in the given version (ic-stable-structures §3.1). */
function returnsResult(s: StructureDecl, v: LibVersion): boolean {
  if (compareVersion(v, 0, 7) >= 0) return false;
  if (s.kind === 'StableVec' || s.kind === 'StableMinHeap' || s.kind === 'StableCell') return s.ctor === 'new' || s.ctor === 'init';
  return s.kind === 'StableLog' && s.ctor === 'init';
}

function checkImpl(ctx: RuleContext, s: StorableImpl, boundedTypes: Set<string>): void {
  const v = ctx.model.version;
  const since = (minor: number) => compareVersion(v, 0, minor) >= 0;
  if (s.trait === 'BoundedStorable') {
    if (since(6))
      ctx.report({
        message: `\`BoundedStorable\` was removed in ic-stable-structures 0.6 and this crate uses ${label(v)}: declare \`const BOUND: Bound\` in \`impl Storable for ${s.typeName}\` instead`,
        loc: s.traitLoc,
      });
    return;
  }
  const method = s.methods.find((m) => m.name === 'into_bytes');
  const bound = s.consts?.find((c) => c.name === 'BOUND');
  const missing: string[] = [];
  if (since(7) && !method) missing.push('`fn into_bytes(self) -> Vec<u8>`');
  // A 0.5-style `impl BoundedStorable` for the type is reported on its own, with the same advice.
  if (since(6) && !bound && !boundedTypes.has(s.typeName)) missing.push('`const BOUND: Bound`');
  if (missing.length > 0) {
    ctx.report({
      message: `\`impl Storable for ${s.typeName}\` lacks ${missing.join(' and ')}, which ic-stable-structures ${label(v)} requires`,
      loc: s.traitLoc,
    });
  }
  if (!since(7) && method)
    ctx.report({ message: `\`into_bytes\` is not a method of \`Storable\` before ic-stable-structures 0.7, and this crate uses ${label(v)}`, loc: method.loc });
  if (!since(6) && bound)
    ctx.report({
      message: `\`BOUND\` is not part of \`Storable\` before ic-stable-structures 0.6, and this crate uses ${label(v)}: 0.5 declares bounds in \`impl BoundedStorable\``,
      loc: bound.loc,
    });
}

export default defineRule({
  id: 'storable-api-mismatch',
  language: 'rust',
  defaultSeverity: 'error',
  docs: {
    summary:
      'Code written for another ic-stable-structures version: `BoundedStorable`, missing `into_bytes` or `BOUND`, `unwrap` on constructors, `reclaim_memory`',
    why: [
      '0.6 removed `BoundedStorable` and made `const BOUND: Bound` a required item of `Storable`; 0.7 added the required method `into_bytes(self) -> Vec<u8>` (PR #322).',
      '0.7 also made `StableVec`, `StableMinHeap` and `StableCell` `new`/`init` and `StableLog::init` return the structure instead of a `Result` (PR #351), so `.unwrap()`, `.expect()` and `?` on them no longer compile; `BTreeMap` constructors never returned a `Result`.',
      '`MemoryManager::reclaim_memory` existed only in 0.7.1 and was removed again in 0.7.2.',
      'The crate stops compiling after a version bump, or a port is left half done; the version comes from Cargo.lock or Cargo.toml, or 0.7.2 when neither names one.',
    ].join('\n'),
    bad: `use ic_stable_structures::storable::{Bound, Storable};
use std::borrow::Cow;

struct Timestamp(u64);

impl Storable for Timestamp {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(self.0.to_be_bytes().to_vec())
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Timestamp(u64::from_be_bytes(bytes.as_ref().try_into().unwrap()))
    }

    const BOUND: Bound = Bound::Bounded { max_size: 8, is_fixed_size: true };
}
`,
    good: `use ic_stable_structures::storable::{Bound, Storable};
use std::borrow::Cow;

struct Timestamp(u64);

impl Storable for Timestamp {
    fn to_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Owned(self.0.to_be_bytes().to_vec())
    }

    fn into_bytes(self) -> Vec<u8> {
        self.0.to_be_bytes().to_vec()
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        Timestamp(u64::from_be_bytes(bytes.as_ref().try_into().unwrap()))
    }

    const BOUND: Bound = Bound::Bounded { max_size: 8, is_fixed_size: true };
}
`,
  },
  checkRust(ctx) {
    const { model } = ctx;
    // A fork or wrapper under the library's name has an API of its own: nothing here can say it is misused.
    if (!usesLibrary(model) || model.crate.stableStructures?.fork) return;
    const v = model.version;
    const boundedTypes = new Set(model.storables.filter((s) => s.trait === 'BoundedStorable').map((s) => s.typeName));
    for (const s of model.storables) checkImpl(ctx, s, boundedTypes);
    for (const s of model.structures) {
      const handling = s.resultHandling;
      if (!handling || returnsResult(s, v)) continue;
      const what = handling.kind === 'try' ? '`?`' : `\`.${handling.kind}()\``;
      const since =
        s.kind === 'StableBTreeMap' || s.kind === 'StableBTreeSet' || (s.kind === 'StableLog' && s.ctor === 'new')
          ? 'in every version'
          : `since 0.7, and this crate uses ${label(v)}`;
      ctx.report({ message: `\`${s.kind}::${s.ctor}\` returns the structure itself, not a \`Result\`, ${since}: ${what} does not compile`, loc: handling.loc });
    }
    if (compareVersion(v, 0, 7, 1) === 0) return;
    for (const f of model.files) {
      for (const c of f.versionedCalls) {
        ctx.report({ message: `\`reclaim_memory\` exists only in ic-stable-structures 0.7.1, and this crate uses ${label(v)}`, loc: c.loc });
      }
    }
  },
});
