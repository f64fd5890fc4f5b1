import { parseRust, type Tree } from '../../parsing/treeSitter';
import { LineIndex } from '../../util/text';
import type { RustFileFacts } from '../types';
import { FileContext } from './fileContext';
import { extractFunctions, extractRawStable } from './functions';
import { extractConsts, extractGetters, extractMemoryIdSites, extractTypes } from './items';
import { extractHeapState, parseStateMacros } from './statics';
import { extractManagers, extractStructures } from './structures';
import { extractStorables } from './storable';
import { extractSuppressions } from './suppressions';
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

/** Extracts everything the rules need from one Rust file. The tree may be reused from an earlier parse. */
export function extractRustFacts(file: string, text: string, tree: Tree = parseRust(text), lines = new LineIndex(text)): RustFileFacts {
  const root = tree.rootNode;
  const uses = extractUses(root, file);
  const ctx = new FileContext(file, text, uses);
  const facts = emptyFacts(file);
  facts.uses = uses;
  facts.hasSyntaxErrors = root.hasError;
  facts.consts = extractConsts(ctx, root);
  facts.getters = extractGetters(ctx, root);
  facts.memoryIdSites = extractMemoryIdSites(ctx, root);
  const { types, aliases } = extractTypes(ctx, root);
  facts.types = types;
  facts.aliases = aliases;
  facts.storables = extractStorables(ctx, root);
  facts.functions = extractFunctions(ctx, root);
  facts.rawStable = extractRawStable(ctx, facts.functions);
  facts.structures = extractStructures(ctx, root, false, facts.aliases);
  facts.managers = extractManagers(ctx, root, false);
  facts.heapState = extractHeapState(ctx, root, 'static');
  facts.versionedCalls = facts.functions.flatMap((f) => f.calls.filter((c) => c.isMethod && c.name === 'reclaim_memory'));
  facts.suppressions = extractSuppressions(file, root, lines);
  for (const body of parseStateMacros(text, root)) {
    try {
      const inner = body.tree.rootNode;
      facts.heapState.push(...extractHeapState(ctx, inner, body.kind));
      facts.structures.push(...extractStructures(ctx, inner, body.kind === 'thread_local', facts.aliases));
      facts.managers.push(...extractManagers(ctx, inner, body.kind === 'thread_local'));
      facts.memoryIdSites.push(...extractMemoryIdSites(ctx, inner));
      facts.hasSyntaxErrors ||= inner.hasError;
    } finally {
      body.tree.delete();
    }
  }
  const byStart = (a: { loc?: { start: number }; nameLoc?: { start: number } }, b: typeof a) => (a.loc ?? a.nameLoc)!.start - (b.loc ?? b.nameLoc)!.start;
  facts.structures.sort(byStart);
  facts.heapState.sort(byStart);
  facts.managers.sort(byStart);
  facts.memoryIdSites.sort(byStart);
  return facts;
}
