import { structureTypes } from '../rust/model/bounds';
import type { CanisterModel, MemorySlot } from '../rust/model/canister';
import type { Loc } from '../core/loc';
import type { Related } from '../core/findings';
import type { LoadedLock } from './io';
import { normalizeType } from './build';

/** The current owner of each MemoryId, with what a compatibility finding needs to point at. */
export interface CurrentSlot {
  slot: MemorySlot;
  key?: { normalized: string; loc: Loc };
  main?: { normalized: string; loc: Loc; role: 'value' | 'element' };
}

export function currentSlots(model: CanisterModel): Map<number, CurrentSlot> {
  const out = new Map<number, CurrentSlot>();
  for (const slot of model.slots) {
    if (slot.id === undefined || out.has(slot.id)) continue;
    const types = structureTypes(slot.structure, model);
    const key = types.find((t) => t.role === 'key')?.type;
    const main = types.find((t) => t.role !== 'key');
    out.set(slot.id, {
      slot,
      key: key ? { normalized: normalizeType(key, model), loc: key.loc } : undefined,
      main: main
        ? { normalized: normalizeType(main.type, model), loc: main.type.loc, role: slot.structure.kind === 'StableBTreeMap' ? 'value' : 'element' }
        : undefined,
    });
  }
  return out;
}

/** Related information pointing at a value in the lockfile. */
export function inLock(baseline: LoadedLock, jsonPath: (string | number)[], message: string): Related {
  return { loc: { file: baseline.file, ...baseline.locate(jsonPath) }, message };
}

/**
 * Where a finding about a slot's id belongs: its memory source (`m.borrow().get(ID)`), which holds
 * the id or the const that names it, so the finding sits in the structure's own declaration.
 */
export function memorySourceLoc(slot: MemorySlot): Loc {
  return slot.source.loc;
}
