import * as path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { CrateResult } from '../check/rust';
import { compareVersion } from '../rust/project/crate';
import { describeBound, type BoundInfo } from '../rust/model/bounds';
import { canisterMap } from '../rust/analysis/memoryMap';
import { type StructureJson } from '../protocol/memoryMap';
import type { StorableImpl, StructureDecl, TypeRef } from '../rust/model/facts';
import { rangeOf } from './diagnostics';
import { recordedIdDiff, recordedStorableDiff } from './recordedLayoutHover';
import { structureTypeText, targetAt, type Target } from './locate';
import { btreePageSize, btreeV1NodeSize, closestCost, costText, sizeText, vecSlotSize } from './storageFacts';

const ENCODERS: Record<string, string> = { candid: 'Candid', cbor: 'CBOR', json: 'JSON', bincode: 'bincode', manual: 'hand-written', unknown: 'unknown' };

export function encoderName(encoder: string | undefined): string | undefined {
  return encoder ? (ENCODERS[encoder] ?? encoder) : undefined;
}

/** Type text as inline code, so `<` and `|` survive Markdown. */
const code = (text: string | undefined) => (text ? `\`${text.replace(/`/g, "'")}\`` : '—');
const cell = (text: string) => text.replace(/\|/g, '\\|');

interface Row {
  id: string;
  s: StructureJson;
}

function rowMatches(target: Target, row: Row, result: CrateResult): boolean {
  if (target.kind === 'id') return target.id !== undefined && row.id === String(target.id);
  if (target.kind !== 'structure') return false;
  const at = rangeOf(result, target.structure.nameLoc).start;
  return row.s.location.file === target.structure.nameLoc.file && row.s.location.line === at.line + 1;
}

/** The crate's MemoryId map as a Markdown table, with the hovered rows in bold. */
function mapTable(result: CrateResult, target: Target, toUri: (file: string) => string): string {
  const map = canisterMap(result, result.crate.root, (loc) => {
    const p = rangeOf(result, loc).start;
    return { file: loc.file, line: p.line + 1, column: p.character + 1 };
  });
  const rows: Row[] = [...map.ids.flatMap((e) => e.structures.map((s) => ({ id: String(e.id), s }))), ...map.unresolved.map((s) => ({ id: '?', s }))];
  const lines = ['| ID | Name | Structure | K | V | K bound | V bound | Encoder | Where |', '|---:|---|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const { s } = row;
    const where = `[${path.basename(s.location.file)}:${s.location.line}](${toUri(s.location.file)}#L${s.location.line})`;
    const cells = [
      row.id,
      code(s.role ? `${s.name} (${s.role})` : s.name),
      s.kind,
      code(s.key),
      code(s.value ?? s.element),
      s.keyBound ?? '—',
      s.valueBound ?? '—',
      s.encoder && s.encoder !== 'unknown' ? encoderName(s.encoder)! : '—',
    ].map(cell);
    const bold = rowMatches(target, row, result);
    lines.push(`| ${cells.map((c) => (bold && c !== '—' ? `**${c}**` : c)).join(' | ')} | ${where} |`);
  }
  if (rows.length === 0) lines.push('| | _no stable structures_ | | | | | | | |');
  const conflicts = map.conflicts.length ? ` · ⚠ ${map.conflicts.map((c) => `MemoryId ${c.id} is shared`).join(', ')}` : '';
  lines.push('', `${map.freeIds} of 255 ids free${map.nextFreeId !== undefined ? ` · next free: ${map.nextFreeId}` : ''}${conflicts}`);
  return lines.join('\n');
}

function mapFacts(result: CrateResult, key: TypeRef, value: TypeRef): string[] {
  const model = result.model;
  const k = model.boundOf(key);
  const v = model.boundOf(value);
  const v1 = compareVersion(model.version, 0, 6) < 0;
  const page = v1 ? `V1 node size: ${sizeText(btreeV1NodeSize(k, v))}` : `Node page size (V2): ${sizeText(btreePageSize(k, v))}`;
  return [page, `Cost: ${costText(closestCost(k, v))}`];
}

function structureFacts(result: CrateResult, s: StructureDecl): string[] {
  if ((s.kind === 'StableBTreeMap' || s.kind === 'StableBTreeSet') && s.key) {
    return mapFacts(result, s.key, s.value ?? { text: '()', name: '()', path: '()', args: [], loc: s.key.loc });
  }
  if ((s.kind === 'StableVec' || s.kind === 'StableMinHeap') && s.elem) return [`Slot size: ${sizeText(vecSlotSize(result.model.boundOf(s.elem)))}`];
  return [];
}

function boundRows(b: BoundInfo): string[] {
  if (b.kind === 'unbounded') return ['| Bound | Unbounded |', '| Max size | none (a u32 length prefix: just under 4 GiB) |', '| Fixed size | no |'];
  if (b.kind === 'unknown') return ['| Bound | unknown |'];
  return [
    '| Bound | Bounded |',
    `| Max size | ${b.maxSize === undefined ? 'not known statically' : `${b.maxSize.toLocaleString('en-US')} B`} |`,
    `| Fixed size | ${b.fixed === undefined ? 'not known statically' : b.fixed ? 'yes' : 'no'} |`,
  ];
}

function storableHover(result: CrateResult, impl: StorableImpl): string {
  const model = result.model;
  const self: TypeRef = { text: impl.typeName, name: impl.typeName, path: impl.typeName, args: [], loc: impl.typeLoc };
  const bound = model.boundOf(self);
  const out = [
    `**impl ${impl.trait} for ${code(impl.typeName)}** · ${describeBound(bound)}`,
    '',
    '| | |',
    '|---|---|',
    ...boundRows(bound),
    `| Encoder | ${impl.encoder === 'unknown' ? 'not recognised' : encoderName(impl.encoder)} |`,
    '',
  ];
  const maps = model.structures.filter(
    (s) => (s.kind === 'StableBTreeMap' || s.kind === 'StableBTreeSet') && s.key && (s.key.name === impl.typeName || s.value?.name === impl.typeName),
  );
  for (const s of maps) out.push(`${code(s.name)}: ${code(structureTypeText(s))}`, ...structureFacts(result, s).map((l) => `- ${l}`), '');
  if (maps.length === 0) {
    const u64: TypeRef = { text: 'u64', name: 'u64', path: 'u64', args: [], loc: impl.typeLoc };
    out.push(`As the value of a \`StableBTreeMap<u64, ${impl.typeName}>\`:`, ...mapFacts(result, u64, self).map((l) => `- ${l}`), '');
  }
  const slot = vecSlotSize(bound);
  out.push(`As a StableVec element: ${slot.bytes === undefined ? slot.note : `slot size ${sizeText(slot)}`}`);
  return out.join('\n');
}

function idNote(result: CrateResult, id: number | undefined): string {
  if (id === undefined) return ' · not resolved statically';
  return result.model.slots.some((slot) => slot.id === id) ? '' : ' · no stable structure uses it';
}

/** Markdown for what the cursor is on, or undefined when it is on nothing the model knows. */
export function hoverAt(result: CrateResult, file: string, offset: number, toUri: (file: string) => string): Hover | undefined {
  const target = targetAt(result.model, file, offset);
  if (!target) return undefined;
  let value: string;
  if (target.kind === 'storable') {
    value = [storableHover(result, target.impl), ...recordedStorableDiff(result, target.impl.typeName)].join('\n');
  } else {
    const head =
      target.kind === 'id'
        ? `**MemoryId ${target.id ?? '?'}** · ${target.label}${idNote(result, target.id)}`
        : target.kind === 'structure'
          ? `**${code(target.structure.name)}** · ${code(structureTypeText(target.structure))}`
          : `**MemoryManager ${code(target.manager.name)}** over ${code(target.manager.wraps)}`;
    const facts = target.kind === 'structure' ? structureFacts(result, target.structure) : [];
    const id =
      target.kind === 'id' ? target.id : target.kind === 'structure' ? result.model.slots.find((s) => s.structure === target.structure)?.id : undefined;
    value = [head, '', mapTable(result, target, toUri), ...(facts.length ? ['', ...facts.map((f) => `- ${f}`)] : []), ...recordedIdDiff(result, id)].join('\n');
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(result, target.loc) };
}
