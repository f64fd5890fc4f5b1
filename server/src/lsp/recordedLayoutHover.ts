import type { CrateResult } from '../check/rust';
import { buildRustLock } from '../lockfile/build';
import type { LockedStorable, LockedStructure } from '../lockfile/types';

const structureText = (s: LockedStructure) => {
  const types = [s.key?.written, s.value?.written ?? s.element?.written].filter(Boolean).join(', ');
  return `${s.kind}<${types}> \`${s.name}\`${s.role ? ` (${s.role})` : ''}${s.initializer ? ` = ${s.initializer}` : ''}`;
};

const storableText = (s: LockedStorable) => {
  const b =
    s.bound.kind === 'bounded' ? `Bounded ≤ ${s.bound.maxSize ?? '?'} B${s.bound.fixed ? ', fixed' : ''}` : s.bound.kind === 'unbounded' ? 'Unbounded' : '?';
  const fields = s.fields.length ? ` · { ${s.fields.map((f) => `${f.name}: ${f.type}`).join(', ')} }` : '';
  return `${b} · ${s.encoder}${fields}`;
};

/** Markdown lines comparing what the lockfile recorded for a MemoryId with the source now, when they differ. */
export function recordedIdDiff(result: CrateResult, id: number | undefined): string[] {
  const baseline = result.baseline;
  if (!baseline || id === undefined) return [];
  const was = baseline.lock.memoryIds[id];
  const now = buildRustLock(result.model).memoryIds[id];
  if (!was && !baseline.lock.retiredMemoryIds.includes(id)) return [];
  if (!was) return ['', `**Recorded in stable-layout.lock.json:** MemoryId ${id} is retired`];
  if (now && JSON.stringify(structureText(now)) === JSON.stringify(structureText(was))) return [];
  return [
    '',
    '**Recorded in stable-layout.lock.json** (the deployed layout):',
    '',
    `- recorded: ${structureText(was)}`,
    `- now: ${now ? structureText(now) : 'no structure uses this id'}`,
  ];
}

/** The same for a stored type's bound, encoder and fields. */
export function recordedStorableDiff(result: CrateResult, name: string): string[] {
  const was = result.baseline?.lock.storables[name];
  if (!was) return [];
  const now = buildRustLock(result.model).storables[name];
  if (now && storableText(now) === storableText(was)) return [];
  return [
    '',
    '**Recorded in stable-layout.lock.json** (the deployed layout):',
    '',
    `- recorded: ${storableText(was)}`,
    `- now: ${now ? storableText(now) : 'not stored any more'}`,
  ];
}
