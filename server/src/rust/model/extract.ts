import { parseRust, type Node, type Tree } from '../syntax/treeSitter';
import { LineIndex } from '../../core/text';
import type { Loc } from '../../core/loc';
import type { RustFileFacts, TypeAlias, UseDecl } from './facts';
import { FileContext } from './fileContext';
import { extractFunctions, extractRawStable } from './functions';
import { extractConsts, extractGetters, extractMemoryIdSites, extractTypes, setTestRanges } from './items';
import { extractHeapState, parseStateMacros } from './statics';
import { extractManagers, extractStructures, localStructureNames } from './structures';
import { extractStorables } from './storable';
import { extractSuppressions } from './suppressions';
import { blocksOf, forgetNodes, nodeOf, reblock, type Block, type Unit } from './units';
import { extractUses } from './uses';

export function emptyFacts(file: string): RustFileFacts {
  return {
    file,
    uses: [],
    consts: [],
    getters: [],
    structures: [],
    managers: [],
    heapState: [],
    storables: [],
    types: [],
    aliases: [],
    functions: [],
    rawStable: [],
    memoryIdSites: [],
    versionedCalls: [],
    suppressions: [],
    hasSyntaxErrors: false,
  };
}

/** What one unit contributes, with offsets relative to the unit's start. */
type Fragment = Omit<RustFileFacts, 'file' | 'uses' | 'suppressions'>;

const LIST_KEYS = [
  'consts',
  'getters',
  'structures',
  'managers',
  'heapState',
  'storables',
  'types',
  'aliases',
  'functions',
  'rawStable',
  'memoryIdSites',
  'versionedCalls',
] as const;
type ListKey = (typeof LIST_KEYS)[number];

/** A cached unit's facts, placed at `base`, with every span inside them listed for moving. */
interface Placed {
  fragment: Fragment;
  /** The lists of the fragment that hold anything: most units add to one list or none. */
  filled: ListKey[];
  locs: Loc[];
  base: number;
  end: number;
  type: string;
  parentType: string;
}

/**
 * Facts of the units of one buffer by where they start: an edit re-reads only the part of the tree
 * it touches and re-extracts only the units there; the units after it only move. The buffer
 * reports every edit (`edited`) and the ranges tree-sitter found changed (`changed`), so a unit
 * outside them is known to be as it was without comparing its text. Callers keep one per open
 * document; the CLI needs none. The facts handed out are moved in place on the next extraction,
 * so only the latest result may be read.
 */
export class UnitCache {
  context = '';
  entries = new Map<number, Placed>();
  blocks: Block[] | undefined;
  /** The span edited since the last extraction, in current offsets, and how much the text grew. */
  private lo = Infinity;
  private hi = -Infinity;
  private delta = 0;

  /** Records one edit: `[start, oldEnd)` of the text before it became `[start, newEnd)`. */
  edited(start: number, oldEnd: number, newEnd: number): void {
    const shift = newEnd - oldEnd;
    // The span so far moves with the edit where it lies after it, and grows to cover it.
    const hi = this.hi >= oldEnd ? this.hi + shift : this.hi >= start ? newEnd : this.hi;
    this.lo = Math.min(this.lo, start);
    this.hi = Math.max(hi, newEnd);
    this.delta += shift;
  }

  /** Widens the span with ranges, in current offsets, whose syntax changed beyond the edits. */
  changed(ranges: readonly { startIndex: number; endIndex: number }[]): void {
    for (const r of ranges) {
      this.lo = Math.min(this.lo, r.startIndex);
      this.hi = Math.max(this.hi, r.endIndex);
    }
  }

  /** The whole text was replaced, or the tree could not be matched: nothing cached can be trusted. */
  clear(): void {
    this.context = '';
    this.entries = new Map();
    this.blocks = undefined;
    this.settled();
  }

  /** The blocks of the new tree, re-reading only the edited part, or undefined when all must be read. */
  reblock(root: Node, text: string): Block[] | undefined {
    return this.blocks && reblock(root, text, this.blocks, this.lo, this.hi, this.delta);
  }

  /** The cached facts of a unit whose text and place in the tree are as they were, or undefined. */
  lookup(unit: Unit): Placed | undefined {
    // Touching the span counts as inside: typing right after a `}` may change what the item is.
    const before = unit.end < this.lo;
    if (!before && unit.start <= this.hi) return undefined;
    const shift = before ? 0 : this.delta;
    const placed = this.entries.get(unit.start - shift);
    if (!placed || placed.end !== unit.end - shift || placed.type !== unit.type || placed.parentType !== unit.parentType) return undefined;
    return placed;
  }

  /** The latest extraction has taken every recorded edit into account. */
  settled(): void {
    this.lo = Infinity;
    this.hi = -Infinity;
    this.delta = 0;
  }
}

/** Every `{file, start, end}` object inside plain data, each once. */
function collectLocs(value: unknown, out: Set<Loc>): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectLocs(v, out);
    return;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.file === 'string' && typeof o.start === 'number' && typeof o.end === 'number') out.add(o as unknown as Loc);
  for (const v of Object.values(o)) collectLocs(v, out);
}

/**
 * Whether the text calls some `X::new` with arguments. Stable structures take their memory as an
 * argument, while `Vec::new()` and `String::new()` fill ordinary code: skipping those units spares
 * the structure extractor most of its work.
 */
function hasNewWithArguments(src: string): boolean {
  for (let i = src.indexOf('::new('); i >= 0; i = src.indexOf('::new(', i + 6)) {
    let j = i + 6;
    while (j < src.length && (src[j] === ' ' || src[j] === '\n' || src[j] === '\t' || src[j] === '\r')) j++;
    if (src[j] !== ')') return true;
  }
  return false;
}

/** What every unit of a file reads with: its type aliases, and the other names its structure types go by. */
interface FileScope {
  aliases: TypeAlias[];
  structureNames: string[];
}

function extractUnit(ctx: FileContext, text: string, node: Node, scope: FileScope): Fragment {
  ctx.enterItem(node);
  try {
    return readUnit(ctx, text, node, scope);
  } finally {
    ctx.enterItem(undefined);
  }
}

function readUnit(ctx: FileContext, text: string, node: Node, { aliases, structureNames }: FileScope): Fragment {
  const f = emptyFacts(ctx.file);
  f.hasSyntaxErrors = node.hasError;
  // Each extractor runs only where its keyword occurs: a word test on the text is far cheaper than a tree query.
  const src = text.slice(node.startIndex, node.endIndex);
  const has = (...words: string[]) => words.some((w) => src.includes(w));
  if (has('const')) f.consts = extractConsts(ctx, node);
  if (has('Memory')) f.getters = extractGetters(ctx, node);
  if (has('MemoryId')) f.memoryIdSites = extractMemoryIdSites(ctx, node);
  if (has('struct ', 'enum ', 'type ')) {
    const { types, aliases: own } = extractTypes(ctx, node);
    f.types = types;
    f.aliases = own;
  }
  if (has('Storable')) f.storables = extractStorables(ctx, node);
  if (has('fn')) f.functions = extractFunctions(ctx, node);
  f.rawStable = extractRawStable(ctx, f.functions);
  // A constructor through an import or alias is read even before its memory argument is typed.
  if (has('::init', '::load', 'Stable') || hasNewWithArguments(src) || structureNames.some((n) => src.includes(`${n}::`)))
    f.structures = extractStructures(ctx, node, false, aliases);
  if (has('MemoryManager')) f.managers = extractManagers(ctx, node, false);
  if (has('static')) f.heapState = extractHeapState(ctx, node, 'static');
  f.versionedCalls = f.functions.flatMap((fn) => fn.calls.filter((c) => c.isMethod && c.name === 'reclaim_memory'));
  const macros = has('thread_local', 'lazy_static') ? parseStateMacros(text, node) : [];
  for (const body of macros) {
    try {
      const inner = body.tree.rootNode;
      // The body is a tree of its own: its queries, too, share one walk.
      ctx.enterItem(inner);
      f.heapState.push(...extractHeapState(ctx, inner, body.kind));
      f.structures.push(...extractStructures(ctx, inner, body.kind === 'thread_local', aliases));
      f.managers.push(...extractManagers(ctx, inner, body.kind === 'thread_local'));
      f.memoryIdSites.push(...extractMemoryIdSites(ctx, inner));
      f.hasSyntaxErrors ||= inner.hasError;
    } finally {
      body.tree.delete();
    }
  }
  const { file: _file, uses: _uses, suppressions: _s, ...fragment } = f;
  return fragment;
}

/** Extracts everything the rules need from one Rust file. The tree may be reused from an earlier parse. */
export function extractRustFacts(file: string, text: string, tree?: Tree, lines = new LineIndex(text), cache?: UnitCache): RustFileFacts {
  return tree ? extractFrom(file, text, tree, lines, cache) : withOwnTree(text, (own) => extractFrom(file, text, own, lines, cache));
}

/** Chooses, once a file's imports and aliases are known, which of its units to read. */
export type UnitPicker = (scope: { text: string; uses: readonly UseDecl[]; aliases: readonly TypeAlias[] }) => (unit: Unit) => boolean;

/** Extracts the facts of the units `pick` chooses; the others add nothing. */
export function extractPicked(file: string, text: string, lines: LineIndex, pick: UnitPicker): RustFileFacts {
  return withOwnTree(text, (own) => extractFrom(file, text, own, lines, undefined, pick));
}

/** A tree parsed here is freed here: the facts keep no node, and wasm memory is not collected. */
function withOwnTree<T>(text: string, read: (tree: Tree) => T): T {
  const own = parseRust(text);
  try {
    return read(own);
  } finally {
    own.delete();
  }
}

function extractFrom(file: string, text: string, tree: Tree, lines: LineIndex, cache?: UnitCache, pick?: UnitPicker): RustFileFacts {
  const root = tree.rootNode;
  const partial = cache?.reblock(root, text);
  const blocks = partial ?? blocksOf(root, text);
  const units = blocks.flatMap((b) => b.units);
  // Units kept from the last tree have no node; one that cannot be found again means the tree
  // does not line up with the cache after all, and the file is read afresh.
  const node = (u: Unit) => nodeOf(root, u);
  const retry = () => {
    cache!.clear();
    return extractFrom(file, text, tree, lines, cache);
  };
  // Test code is known from the units, so extractors asking `inTestCode` need no query of their own.
  setTestRanges(
    tree,
    units.filter((u) => u.test).map((u) => [u.start, u.end]),
  );
  const useNodes = units.filter((u) => u.type === 'use_declaration').map(node);
  const typeNodes = units.filter((u) => u.type === 'type_item').map(node);
  if ([...useNodes, ...typeNodes].some((n) => !n)) return retry();
  const uses = extractUses(useNodes as Node[], file);
  const ctx = new FileContext(file, text, uses);
  // Type aliases feed structure detection in every unit, so they are read first and are part of the context.
  const aliases = (typeNodes as Node[]).flatMap((n) => extractTypes(ctx, n).aliases);
  const scope: FileScope = { aliases, structureNames: localStructureNames(uses, aliases) };
  const context = JSON.stringify([file, uses.map((u) => [u.local, u.path, u.isGlob]), aliases.map((a) => [a.name, a.type.text])]);
  // Imports and aliases change how every unit reads, so a new context starts the cache afresh,
  // from a full read of the tree that gives every unit its node.
  const fresh = !cache || cache.context !== context;
  if (fresh && partial) return retry();
  const next = new Map<number, Placed>();
  // A cache keeps every unit, so picking is for reads without one.
  const take = cache ? undefined : pick?.({ text, uses, aliases });
  const facts = emptyFacts(file);
  facts.uses = uses;
  facts.hasSyntaxErrors = root.hasError;
  for (const unit of units) {
    if (unit.type === 'use_declaration' || unit.test) continue;
    if (take && !take(unit)) continue;
    if (!cache) {
      // Without a cache nothing is moved later, so the spans need no listing.
      const fragment = extractUnit(ctx, text, unit.node!, scope);
      append(facts, fragment, filledKeys(fragment));
      continue;
    }
    let placed = fresh ? undefined : cache.lookup(unit);
    if (placed) move(placed, unit.start);
    else {
      const n = node(unit);
      if (!n) return retry();
      placed = place(extractUnit(ctx, text, n, scope), unit);
    }
    next.set(unit.start, placed);
    append(facts, placed.fragment, placed.filled);
  }
  if (cache) {
    forgetNodes(blocks);
    cache.context = context;
    cache.entries = next;
    cache.blocks = blocks;
    cache.settled();
  }
  // Most files have no suppression comment: skip the walk over every comment then.
  facts.suppressions = text.includes('stable-lens-ignore') ? extractSuppressions(file, root, lines) : [];
  const byStart = (a: { loc?: { start: number }; nameLoc?: { start: number } }, b: typeof a) => (a.loc ?? a.nameLoc)!.start - (b.loc ?? b.nameLoc)!.start;
  facts.structures.sort(byStart);
  facts.heapState.sort(byStart);
  facts.managers.sort(byStart);
  facts.memoryIdSites.sort(byStart);
  return facts;
}

/** The lists of a fragment that hold anything. */
export function filledKeys(fragment: Fragment): ListKey[] {
  return LIST_KEYS.filter((k) => fragment[k].length > 0);
}

/** Adds a unit's lists to the file's facts. */
export function append(facts: RustFileFacts, fragment: Fragment, keys: readonly ListKey[]): void {
  for (const key of keys) (facts[key] as unknown[]).push(...(fragment[key] as unknown[]));
}

function place(fragment: Fragment, unit: Unit): Placed {
  const locs = new Set<Loc>();
  collectLocs(fragment, locs);
  return { fragment, filled: filledKeys(fragment), locs: [...locs], base: unit.start, end: unit.end, type: unit.type, parentType: unit.parentType };
}

/** Moves a cached unit's spans to where the unit now starts. */
function move(placed: Placed, start: number): void {
  const delta = start - placed.base;
  if (delta === 0) return;
  for (const loc of placed.locs) {
    loc.start += delta;
    loc.end += delta;
  }
  placed.base = start;
  placed.end += delta;
}
