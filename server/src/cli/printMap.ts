import type { MemoryMapJson, MotokoCanisterMapJson, StructureJson } from '../protocol/memoryMap';

const ENCODER_NAMES: Record<string, string> = { cbor: 'CBOR', candid: 'Candid', json: 'JSON', bincode: 'bincode', manual: 'hand-written bytes' };

function types(s: StructureJson): string {
  if (s.kind === 'StableBTreeMap') return `<${s.key ?? '?'}, ${s.value ?? '?'}>`;
  if (s.key) return `<${s.key}>`;
  return `<${s.element ?? '?'}>`;
}

function bounds(s: StructureJson): string {
  const parts: string[] = [];
  if (s.key && s.keyBound) parts.push(`${s.key}: ${s.keyBound}`);
  const v = s.value ?? s.element;
  if (v && s.valueBound) parts.push(`${v}: ${s.valueBound}`);
  if (s.encoder && s.encoder !== 'unknown') parts.push(`encoded with ${ENCODER_NAMES[s.encoder] ?? s.encoder}`);
  return parts.join(' · ');
}

/** A Motoko canister: its stable variables with their types, then the transient ones. */
function motokoLines(c: MotokoCanisterMapJson): string[] {
  const out = [`${c.name} (${c.root}) · Motoko${c.persistent ? ' persistent actor' : ' actor'} · ${c.main}${c.toolchain ? ` · ${c.toolchain}` : ''}`];
  const rows = [
    ...c.stableVariables.map((v) => ['  stable', `${v.kind} ${v.name}`, v.type ?? '?', `${v.location.file}:${v.location.line}`]),
    ...c.transientVariables.map((v) => ['  transient', `${v.kind} ${v.name}`, v.type ?? '?', `${v.location.file}:${v.location.line}`]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 0));
  for (const r of rows)
    out.push(
      r
        .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell))
        .join('  ')
        .trimEnd(),
    );
  if (rows.length === 0) out.push('  (no fields)');
  if (c.signatureError) out.push(`  types as written: the signature did not compile (${c.signatureError})`);
  return out;
}

/** The human-readable memory map: one block per canister, one line per structure. */
export function formatMap(map: MemoryMapJson): string {
  if (map.canisters.length === 0) return 'No canister under these paths uses stable structures or stable variables.\n';
  const out: string[] = [];
  for (const c of map.canisters) {
    if (c.language === 'motoko') {
      out.push(...motokoLines(c), '');
      continue;
    }
    out.push(`${c.name} (${c.root})${c.library ? ` · ${c.library}` : ''}`);
    const rows: string[][] = [['   id', 'name', 'structure', 'ctor', 'location', 'bounds']];
    for (const { id, structures } of c.ids) {
      for (const s of structures) {
        const conflict = structures.length > 1 ? '  ⚠ shared' : '';
        rows.push([
          `  ${String(id).padStart(3)}`,
          `${s.name}${s.role ? ` (${s.role})` : ''}`,
          `${s.kind}${types(s)}`,
          `${s.constructor}`,
          `${s.location.file}:${s.location.line}`,
          bounds(s) + conflict,
        ]);
      }
    }
    for (const s of c.unresolved)
      rows.push(['    ?', s.name, `${s.kind}${types(s)}`, s.constructor, `${s.location.file}:${s.location.line}`, 'MemoryId not resolved statically']);
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i].length), 0));
    for (const r of rows)
      out.push(
        r
          .map((cell, i) => (i < 5 ? cell.padEnd(widths[i]) : cell))
          .join('  ')
          .trimEnd(),
      );
    if (rows.length === 1) out.push('  (no stable structures)');
    out.push(
      `  ${c.freeIds} of 255 ids free${c.nextFreeId !== undefined ? `, next free: ${c.nextFreeId}` : ''}${c.conflicts.length ? ` · ${c.conflicts.length} conflict(s): ${c.conflicts.map((x) => `id ${x.id} (${x.structures.join(', ')})`).join('; ')}` : ''}`,
    );
    out.push('');
  }
  return out.join('\n');
}
