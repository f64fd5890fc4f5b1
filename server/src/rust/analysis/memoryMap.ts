import * as path from 'node:path';
import type { CrateModel } from '../model/build';
import type { CanisterMapJson, MemoryMapJson, SourceRef, StructureJson } from '../../protocol/memoryMap';
import { describeBound, resolveAlias, structureTypes } from '../model/bounds';
import { MAX_MEMORY_ID, type CanisterModel, type MemorySlot } from '../model/canister';
import type { Loc } from '../../core/loc';
import type { TypeRef } from '../model/facts';

export type LocToRef = (loc: Loc) => SourceRef;

function typeText(t: TypeRef | undefined): string | undefined {
  return t?.text;
}

function structureJson(model: CanisterModel, slot: MemorySlot, toRef: LocToRef): StructureJson {
  const s = slot.structure;
  const out: StructureJson = { name: s.name, kind: s.kind, constructor: s.ctor, location: toRef(s.nameLoc) };
  if (slot.role) out.role = slot.role;
  // Key, value and element types, found through aliases and struct fields when the declaration hides them.
  const types = structureTypes(s, model);
  const key = types.find((t) => t.role === 'key')?.type;
  const main = types.find((t) => t.role !== 'key')?.type;
  if (key) out.key = typeText(key);
  if (main && s.kind === 'StableBTreeMap') out.value = typeText(main);
  else if (main) out.element = typeText(main);
  if (key) out.keyBound = describeBound(model.boundOf(key));
  if (main) out.valueBound = describeBound(model.boundOf(main));
  const custom = [main, key].find((t) => t && model.storable(resolveAlias(t, model).name));
  if (custom) out.encoder = model.storable(resolveAlias(custom, model).name)!.encoder;
  if (slot.via) out.via = slot.via;
  return out;
}

export function canisterMap(result: CrateModel, cwd: string, toRef: LocToRef): CanisterMapJson {
  const model = result.model;
  const byId = new Map<number, StructureJson[]>();
  const unresolved: StructureJson[] = [];
  for (const slot of model.slots) {
    const json = structureJson(model, slot, toRef);
    if (slot.id === undefined) unresolved.push(json);
    else byId.set(slot.id, [...(byId.get(slot.id) ?? []), json]);
  }
  const ids = [...byId.entries()].sort((a, b) => a[0] - b[0]).map(([id, structures]) => ({ id, structures }));
  const used = model.usedIds();
  const v = model.crate.stableStructures;
  return {
    name: result.crate.name,
    language: 'rust',
    root: path.relative(cwd, result.crate.root) || '.',
    library: v ? `ic-stable-structures ${v.text} (${v.source})` : model.crate.stableMemory ? `ic-stable-memory ${model.crate.stableMemory.text}` : undefined,
    memoryManagers: model.managers.map((m) => ({ name: m.name, location: toRef(m.nameLoc) })),
    ids,
    unresolved,
    freeIds: MAX_MEMORY_ID + 1 - [...used].filter((i) => i >= 0 && i <= MAX_MEMORY_ID).length,
    nextFreeId: model.lowestFreeId(),
    conflicts: ids
      .filter((e) => e.structures.length > 1)
      .map((e) => ({ id: e.id, structures: e.structures.map((s) => (s.role ? `${s.name} (${s.role})` : s.name)) })),
  };
}

/** The map of every crate that uses stable memory at all. */
export function memoryMap(results: CrateModel[], cwd: string): MemoryMapJson {
  const canisters = results
    .filter((r) => r.model.usesStableStructures || r.model.slots.length > 0)
    .map((r) => {
      const toRef: LocToRef = (loc) => {
        const pos = r.files.get(loc.file)?.lines.position(loc.start) ?? { line: 0, character: 0 };
        return { file: path.relative(cwd, loc.file), line: pos.line + 1, column: pos.character + 1 };
      };
      return canisterMap(r, cwd, toRef);
    });
  return { version: 1, canisters };
}
