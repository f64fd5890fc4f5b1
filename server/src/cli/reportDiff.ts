import type { LockedBound, LockedStructure, MotokoLockedCanister, RustLock } from '../lockfile/types';

/** One thing an upgrade from the baseline to the working tree does to stable state. */
export interface Change {
  kind:
    | 'memory-id-added'
    | 'memory-id-retired'
    | 'memory-id-reassigned'
    | 'structure-kind-changed'
    | 'key-type-changed'
    | 'value-type-changed'
    | 'storable-bound-changed'
    | 'storable-encoding-changed'
    | 'storable-field-added'
    | 'storable-field-removed'
    | 'storable-field-changed'
    | 'memory-manager-changed'
    | 'initializer-changed'
    | 'variable-added'
    | 'variable-dropped'
    | 'variable-retyped'
    | 'persistence-changed';
  /** What changed: `MemoryId 3`, a stored type's name, a field (`Profile.bio`) or a stable variable. */
  subject: string;
  before?: string;
  after?: string;
}

export function formatBound(b: LockedBound | undefined): string {
  if (!b || b.kind === 'unknown') return 'unknown bound';
  if (b.kind === 'unbounded') return 'Unbounded';
  if (b.fixed) return `Bounded, fixed ${b.maxSize ?? '?'} B`;
  return `Bounded ≤ ${b.maxSize ?? '?'} B`;
}

const structure = (s: LockedStructure) => `${s.kind} ${s.name}${s.role ? ` (${s.role})` : ''}`;
const byId = (a: string, b: string) => Number(a) - Number(b);

/** Compares two versions of one Rust canister's lockfile: the recorded one and the one the working tree would write. */
export function diffRustLocks(old: RustLock, cur: RustLock): Change[] {
  const out: Change[] = [];
  const ids = [...new Set([...Object.keys(old.memoryIds), ...Object.keys(cur.memoryIds)])].sort(byId);
  for (const id of ids) {
    const subject = `MemoryId ${id}`;
    const [was, now] = [old.memoryIds[id], cur.memoryIds[id]];
    if (!now) out.push({ kind: 'memory-id-retired', subject, before: structure(was) });
    else if (!was)
      out.push(
        old.retiredMemoryIds.includes(Number(id))
          ? { kind: 'memory-id-reassigned', subject, before: 'retired', after: structure(now) }
          : { kind: 'memory-id-added', subject, after: structure(now) },
      );
    else if (was.name !== now.name || was.role !== now.role) out.push({ kind: 'memory-id-reassigned', subject, before: structure(was), after: structure(now) });
    else {
      if (was.kind !== now.kind) out.push({ kind: 'structure-kind-changed', subject: `${subject} ${now.name}`, before: was.kind, after: now.kind });
      if (was.key?.normalized !== now.key?.normalized)
        out.push({ kind: 'key-type-changed', subject: `${subject} ${now.name}`, before: was.key?.written ?? 'none', after: now.key?.written ?? 'none' });
      const [v0, v1] = [was.value ?? was.element, now.value ?? now.element];
      if (v0?.normalized !== v1?.normalized)
        out.push({ kind: 'value-type-changed', subject: `${subject} ${now.name}`, before: v0?.written ?? 'none', after: v1?.written ?? 'none' });
      if (was.initializer !== undefined && now.initializer !== undefined && was.initializer !== now.initializer)
        out.push({ kind: 'initializer-changed', subject: `${subject} ${now.name}`, before: was.initializer, after: now.initializer });
    }
  }
  if (old.memoryManager && cur.memoryManager && old.memoryManager.bucketSize !== cur.memoryManager.bucketSize)
    out.push({
      kind: 'memory-manager-changed',
      subject: 'MemoryManager bucket size',
      before: `${old.memoryManager.bucketSize}`,
      after: `${cur.memoryManager.bucketSize}`,
    });
  for (const name of Object.keys(old.storables).filter((n) => cur.storables[n])) {
    const [was, now] = [old.storables[name], cur.storables[name]];
    if (formatBound(was.bound) !== formatBound(now.bound))
      out.push({ kind: 'storable-bound-changed', subject: name, before: formatBound(was.bound), after: formatBound(now.bound) });
    if (was.encoder !== now.encoder) out.push({ kind: 'storable-encoding-changed', subject: name, before: was.encoder, after: now.encoder });
    const field = (f: { type: string; serde: string[] }) => `${f.type}${f.serde.length ? ` #[serde(${f.serde.join(', ')})]` : ''}`;
    const after = new Map(now.fields.map((f) => [f.name, f]));
    for (const f of was.fields) {
      const g = after.get(f.name);
      if (!g) out.push({ kind: 'storable-field-removed', subject: `${name}.${f.name}`, before: field(f) });
      else if (field(f) !== field(g)) out.push({ kind: 'storable-field-changed', subject: `${name}.${f.name}`, before: field(f), after: field(g) });
    }
    const before = new Set(was.fields.map((f) => f.name));
    for (const g of now.fields) if (!before.has(g.name)) out.push({ kind: 'storable-field-added', subject: `${name}.${g.name}`, after: field(g) });
  }
  return out;
}

/** Compares a Motoko canister's recorded entry with the one its working tree compiles to. */
export function diffMotokoCanisters(old: MotokoLockedCanister, cur: MotokoLockedCanister): Change[] {
  const out: Change[] = [];
  const decl = (v: { kind: string; type: string }) => `${v.kind} ${v.type}`;
  for (const [name, was] of Object.entries(old.variables)) {
    const now = cur.variables[name];
    if (!now) out.push({ kind: 'variable-dropped', subject: name, before: decl(was) });
    else if (decl(was) !== decl(now)) out.push({ kind: 'variable-retyped', subject: name, before: decl(was), after: decl(now) });
    // A migration function sets the deployed values, so only without one is a new initializer ignored.
    else if (was.initializer !== undefined && now.initializer !== undefined && was.initializer !== now.initializer && cur.persistence.migration === 'none')
      out.push({ kind: 'initializer-changed', subject: name, before: was.initializer, after: now.initializer });
  }
  for (const [name, now] of Object.entries(cur.variables)) if (!old.variables[name]) out.push({ kind: 'variable-added', subject: name, after: decl(now) });
  const persistence = (c: MotokoLockedCanister) =>
    [`${c.persistence.actor} actor`, c.persistence.flag, c.persistence.migration === 'none' ? '' : `${c.persistence.migration} migration`]
      .filter(Boolean)
      .join(', ');
  // A .most baseline records no persistence of its own (no flag), so it is not compared.
  if (old.persistence.flag && persistence(old) !== persistence(cur))
    out.push({ kind: 'persistence-changed', subject: 'persistence', before: persistence(old), after: persistence(cur) });
  return out;
}
