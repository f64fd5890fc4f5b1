import { parseRust, type Node, type Tree } from '../../parsing/treeSitter';
import { LineIndex } from '../../util/text';
import type { Loc, RustFileFacts, TypeAlias } from '../types';
import { FileContext } from './fileContext';
import { extractFunctions, extractRawStable } from './functions';
import { extractConsts, extractGetters, extractMemoryIdSites, extractTypes, setTestRanges } from './items';
import { extractHeapState, parseStateMacros } from './statics';
import { extractManagers, extractStructures } from './structures';
import { extractStorables } from './storable';
import { extractSuppressions } from './suppressions';
import { unitsOf, type Unit } from './units';
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

/** A cached unit's facts, placed at `base`, with every span inside them listed for moving. */
interface Placed {
  fragment: Fragment;
  locs: Loc[];
  base: number;
}

/**
 * Facts of the units of one buffer, keyed by their text: an edit re-extracts only the unit it
 * touches, and the units after it only move. Callers keep one per open document; the CLI needs none.
 * The facts handed out are moved in place on the next extraction, so only the latest result may be read.
 */
export class UnitCache {
  context = '';
  entries = new Map<string, Placed>();
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

function extractUnit(ctx: FileContext, text: string, node: Node, aliases: TypeAlias[]): Fragment {
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
  if (has('::init', '::new', '::load')) f.structures = extractStructures(ctx, node, false, aliases);
  if (has('MemoryManager')) f.managers = extractManagers(ctx, node, false);
  if (has('static')) f.heapState = extractHeapState(ctx, node, 'static');
  f.versionedCalls = f.functions.flatMap((fn) => fn.calls.filter((c) => c.isMethod && c.name === 'reclaim_memory'));
  const macros = has('thread_local', 'lazy_static') ? parseStateMacros(text, node) : [];
  for (const body of macros) {
    try {
      const inner = body.tree.rootNode;
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

const LIST_KEYS = ['consts', 'getters', 'structures', 'managers', 'heapState', 'storables', 'types', 'aliases', 'functions', 'rawStable', 'memoryIdSites', 'versionedCalls'] as const;

/** Extracts everything the rules need from one Rust file. The tree may be reused from an earlier parse. */
export function extractRustFacts(file: string, text: string, tree: Tree = parseRust(text), lines = new LineIndex(text), cache?: UnitCache): RustFileFacts {
  const root = tree.rootNode;
  const units: Unit[] = unitsOf(root);
  // Test code is known from the units, so extractors asking `inTestCode` need no query of their own.
  setTestRanges(tree, units.filter((u) => u.test).map((u) => [u.start, u.end]));
  const uses = extractUses(units.filter((u) => u.node.type === 'use_declaration').map((u) => u.node), file);
  const ctx = new FileContext(file, text, uses);
  // Type aliases feed structure detection in every unit, so they are read first and are part of the key.
  const aliases = units.filter((u) => u.node.type === 'type_item').flatMap((u) => extractTypes(ctx, u.node).aliases);
  const context = JSON.stringify([file, uses.map((u) => [u.local, u.path, u.isGlob]), aliases.map((a) => [a.name, a.type.text])]);
  // Imports and aliases change how every unit reads, so a new context starts the cache afresh.
  const previous = cache && cache.context === context ? cache.entries : new Map<string, Placed>();
  const next = new Map<string, Placed>();
  const facts = emptyFacts(file);
  facts.uses = uses;
  facts.hasSyntaxErrors = root.hasError;
  for (const unit of units) {
    if (unit.node.type === 'use_declaration' || unit.test) continue;
    const fragment = cache ? placedFragment(unit, ctx, text, aliases, previous, next) : extractUnit(ctx, text, unit.node, aliases);
    for (const key of LIST_KEYS) (facts[key] as unknown[]).push(...(fragment[key] as unknown[]));
  }
  if (cache) {
    cache.context = context;
    cache.entries = next;
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

/** A unit's facts from the cache, moved to where the unit now starts, or extracted when it is new. */
function placedFragment(unit: Unit, ctx: FileContext, text: string, aliases: TypeAlias[], previous: Map<string, Placed>, next: Map<string, Placed>): Fragment {
  // The parent is part of the key: after a syntax error tree-sitter may hang a top-level item under
  // an ERROR node, and extractors skip statics outside the file's top level.
  const key = `${unit.node.type}\n${unit.node.parent?.type}\n${text.slice(unit.start, unit.end)}`;
  let placed = previous.get(key);
  // Two identical units in one file cannot share one placed copy: the second gets its own.
  if (!placed || next.has(key)) {
    const fragment = extractUnit(ctx, text, unit.node, aliases);
    const locs = new Set<Loc>();
    collectLocs(fragment, locs);
    const fresh = { fragment, locs: [...locs], base: unit.start };
    if (!next.has(key)) next.set(key, fresh);
    return fresh.fragment;
  }
  const delta = unit.start - placed.base;
  if (delta !== 0) {
    for (const loc of placed.locs) {
      loc.start += delta;
      loc.end += delta;
    }
    placed.base = unit.start;
  }
  next.set(key, placed);
  return placed.fragment;
}
