import type { CanisterModel } from '../rust/model/canister';
import type { IdRef, MemoryManagerDecl, StorableImpl, StructureDecl } from '../rust/model/facts';
import type { Loc } from '../core/loc';

/** What the cursor is on, as far as hovers care. */
export type Target =
  /** `MemoryId::new(N)`, a MemoryId const, or a memory argument: anything that names one id. */
  | { kind: 'id'; id?: number; label: string; loc: Loc }
  | { kind: 'structure'; structure: StructureDecl; loc: Loc }
  | { kind: 'manager'; manager: MemoryManagerDecl; loc: Loc }
  | { kind: 'storable'; impl: StorableImpl; loc: Loc };

const contains = (loc: Loc, file: string, offset: number) => loc.file === file && loc.start <= offset && offset <= loc.end;

/** The `impl Storable for T` header: from `impl` to the end of the type, before the body. */
export function storableHeader(impl: StorableImpl): Loc {
  return { file: impl.loc.file, start: impl.loc.start, end: Math.max(impl.traitLoc.end, impl.typeLoc.end) };
}

/** A place where a const or a getter call hides which MemoryId is meant. */
export interface HiddenId {
  /** The const or the getter call, as a reader would name it. */
  label: string;
  value?: number;
  at: Loc;
}

/** Const references and argument-less getter calls in `file`, with the MemoryId they resolve to. */
export function hiddenIds(model: CanisterModel, file: string): HiddenId[] {
  const out: HiddenId[] = [];
  const add = (label: string, value: number | undefined, at: Loc) => {
    if (!out.some((h) => h.at.start === at.start && h.at.end === at.end)) out.push({ label, value, at });
  };
  for (const slot of model.slots) {
    const s = slot.source;
    if (s.loc.file !== file) continue;
    if (s.kind === 'memoryId' && s.id.kind === 'const') add(`\`${s.id.name}\``, slot.id, s.id.loc);
    if (s.kind === 'getter') {
      const constArg = s.args.find((a): a is Extract<IdRef, { kind: 'const' }> => a.kind === 'const');
      if (constArg) add(`\`${constArg.name}\``, slot.id, constArg.loc);
      else if (s.args.length === 0) add(`\`${s.fn}()\``, slot.id, s.loc);
    }
  }
  const facts = model.factsOf(file);
  for (const site of facts?.memoryIdSites ?? []) {
    if (site.id.kind === 'const') add(`\`${site.id.name}\``, model.resolveId(site.id).value, site.id.loc);
  }
  return out;
}

/** The smallest model element at `offset`, so a const inside a static wins over the static. */
export function targetAt(model: CanisterModel, file: string, offset: number): Target | undefined {
  const found: Target[] = [];
  const facts = model.factsOf(file);
  if (!facts) return undefined;
  for (const h of hiddenIds(model, file)) {
    if (contains(h.at, file, offset)) found.push({ kind: 'id', id: h.value, label: h.label, loc: h.at });
  }
  for (const site of facts.memoryIdSites) {
    if (contains(site.loc, file, offset)) found.push({ kind: 'id', id: model.resolveId(site.id).value, label: '`MemoryId::new`', loc: site.loc });
  }
  for (const c of facts.consts) {
    if (c.isMemoryId && contains(c.loc, file, offset))
      found.push({ kind: 'id', id: model.resolveConst(c.name).value, label: `const \`${c.name}\``, loc: c.loc });
  }
  for (const slot of model.slots) {
    if (contains(slot.source.loc, file, offset)) found.push({ kind: 'id', id: slot.id, label: `memory of \`${slot.structure.name}\``, loc: slot.source.loc });
  }
  for (const s of facts.structures) {
    for (const loc of [s.nameLoc, s.ctorLoc]) if (contains(loc, file, offset)) found.push({ kind: 'structure', structure: s, loc });
  }
  for (const m of facts.managers) {
    for (const loc of [m.nameLoc, m.ctorLoc]) if (contains(loc, file, offset)) found.push({ kind: 'manager', manager: m, loc });
  }
  for (const impl of facts.storables) {
    const header = storableHeader(impl);
    if (contains(header, file, offset)) found.push({ kind: 'storable', impl, loc: header });
  }
  return found.sort((a, b) => a.loc.end - a.loc.start - (b.loc.end - b.loc.start))[0];
}

/** `StableBTreeMap<u64, User>`: the structure with its key, value or element types as written. */
export function structureTypeText(s: StructureDecl): string {
  const args = [s.key, s.value, s.elem].flatMap((t) => (t ? [t.text] : []));
  return args.length ? `${s.kind}<${args.join(', ')}>` : s.kind;
}
