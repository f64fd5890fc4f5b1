/**
 * Sizes and costs of ic-stable-structures, for hovers. Sources: research/stable-structures.md
 * §3.3 (BTreeMap node pages), §3.4 (StableVec slots) and §5 (canbench figures on main b5d1650).
 */
import type { BoundInfo } from '../rust/model/bounds';

export interface Size {
  bytes?: number;
  /** How the number comes about, or why there is none. */
  note: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** V2 page size: floor(0.75 × (191 + 11 × (K + V))) at least 128 when both are bounded; 1,024 otherwise. */
export function btreePageSize(k: BoundInfo, v: BoundInfo): Size {
  if (k.kind === 'unbounded' || v.kind === 'unbounded') return { bytes: 1024, note: 'a key or value type is unbounded' };
  if (k.kind !== 'bounded' || v.kind !== 'bounded' || k.maxSize === undefined || v.maxSize === undefined) {
    return { note: 'unknown: a key or value max size is not known statically' };
  }
  const raw = Math.floor(0.75 * (191 + 11 * (k.maxSize + v.maxSize)));
  const bytes = Math.max(128, raw);
  return { bytes, note: `⌊0.75 × (191 + 11 × (${k.maxSize} + ${v.maxSize}))⌋${raw < 128 ? ', raised to the 128 B minimum' : ''}` };
}

/** V1 node size (0.5.x maps): 191 + 11 × (K + V). V1 only supports bounded types. */
export function btreeV1NodeSize(k: BoundInfo, v: BoundInfo): Size {
  if (k.kind !== 'bounded' || v.kind !== 'bounded' || k.maxSize === undefined || v.maxSize === undefined) {
    return { note: 'V1 nodes need bounded keys and values with a known max size' };
  }
  return { bytes: 191 + 11 * (k.maxSize + v.maxSize), note: `191 + 11 × (${k.maxSize} + ${v.maxSize})` };
}

export function lengthPrefix(maxSize: number): number {
  return maxSize <= 0xff ? 1 : maxSize <= 0xffff ? 2 : 4;
}

/** StableVec / StableMinHeap slot: max_size plus a 1, 2 or 4 byte length prefix unless fixed-size. */
export function vecSlotSize(b: BoundInfo): Size {
  if (b.kind === 'unbounded') return { note: 'not possible: elements must be Bounded (0.6+ panics when the vector is created)' };
  if (b.kind !== 'bounded' || b.maxSize === undefined) return { note: 'unknown: the max size is not known statically' };
  if (b.fixed) return { bytes: b.maxSize, note: `${fmt(b.maxSize)} B, fixed size: no length prefix` };
  const prefix = lengthPrefix(b.maxSize);
  return { bytes: b.maxSize + prefix, note: `${fmt(b.maxSize)} B + ${prefix} B length prefix` };
}

export const COST_SUMMARY = '≈ 35–60k instructions per insert and 17–30k per get at 10k entries with small keys';

export interface CostRow {
  label: string;
  insert: string;
  get: string;
}

const ROWS = {
  small: { label: 'u64 → u64', insert: '~35.6k', get: '~17.6k' },
  bounded: { label: 'Blob<32> → Blob<128>', insert: '~44.9k', get: '~24.5k' },
  unbounded: { label: 'unbounded 32 B → 128 B', insert: '~63.5k', get: '~30.0k' },
} satisfies Record<string, CostRow>;

/** The canbench row (StableBTreeMap, 10k entries) closest to a map's key and value types. */
export function closestCost(k: BoundInfo, v: BoundInfo): CostRow | undefined {
  if (k.kind === 'unbounded' || v.kind === 'unbounded') return ROWS.unbounded;
  if (k.kind !== 'bounded' || v.kind !== 'bounded') return undefined;
  const small = (b: typeof k) => b.fixed === true && b.maxSize !== undefined && b.maxSize <= 8;
  return small(k) && small(v) ? ROWS.small : ROWS.bounded;
}

export function sizeText(s: Size): string {
  return s.bytes === undefined ? s.note : `${fmt(s.bytes)} B (${s.note})`;
}

export function costText(row: CostRow | undefined): string {
  const closest = row ? `; closest measured case, \`${row.label}\`: insert ${row.insert}, get ${row.get}` : '';
  return `${COST_SUMMARY} (canbench)${closest}`;
}
