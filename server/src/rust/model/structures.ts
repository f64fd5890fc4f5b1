import type { Node } from '../syntax/treeSitter';
import { ancestor, callParts, field, intLiteral, lastSegment, mentions, pathSegments } from '../syntax/syntax';
import type { Context, MemoryManagerDecl, StructureDecl, StructureKind, TypeAlias, TypeRef, UseDecl } from './facts';
import type { FileContext } from './fileContext';
import { inTestCode } from './items';
import { memorySource } from './memorySources';

const UNAMBIGUOUS: Record<string, StructureKind> = {
  StableBTreeMap: 'StableBTreeMap',
  StableBTreeSet: 'StableBTreeSet',
  StableVec: 'StableVec',
  StableCell: 'StableCell',
  StableLog: 'StableLog',
  StableMinHeap: 'StableMinHeap',
};

/** Names that are stable structures only when they come from ic_stable_structures. */
export const LIBRARY_NAMES: Record<string, StructureKind> = {
  BTreeMap: 'StableBTreeMap',
  BTreeSet: 'StableBTreeSet',
  Vec: 'StableVec',
  Cell: 'StableCell',
  Log: 'StableLog',
  MinHeap: 'StableMinHeap',
};

export const CONSTRUCTORS = new Set(['init', 'new', 'load']);

/**
 * The names other than `Stable*` that spell a stable structure type in a file: imported ones
 * (`use ic_stable_structures::BTreeMap`) and aliases (`type Users = StableBTreeMap<..>`). A glob
 * import is left out: its `Vec::new()` is far more often the prelude's than a half-typed StableVec.
 */
export function localStructureNames(uses: readonly UseDecl[], aliases: readonly TypeAlias[]): string[] {
  const names = new Set<string>();
  for (const u of uses) if (!u.isGlob && structureKindOf(u.path)) names.add(u.local);
  for (const a of aliases) if (structureKindOf(a.type.path)) names.add(a.name);
  return [...names];
}

/** The structure kind a type path names, after `use` resolution, or undefined. */
export function structureKindOf(path: string): StructureKind | undefined {
  const segs = path.split('::');
  const last = segs[segs.length - 1];
  if (segs[0] === 'ic_stable_structures') return UNAMBIGUOUS[last] ?? LIBRARY_NAMES[last];
  if (segs.length === 1 || segs[0] === 'crate') return UNAMBIGUOUS[last];
  return undefined;
}

export function structureKindOfType(t: TypeRef | undefined): StructureKind | undefined {
  return t ? structureKindOf(t.path) : undefined;
}

/** Finds the first type inside `t` (itself included) that is the given structure kind. */
function findStructureType(t: TypeRef | undefined, kind: StructureKind): TypeRef | undefined {
  if (!t) return undefined;
  if (structureKindOf(t.path) === kind) return t;
  for (const a of t.args) {
    const found = findStructureType(a, kind);
    if (found) return found;
  }
  return undefined;
}

function typeArgs(kind: StructureKind, t: TypeRef | undefined): Pick<StructureDecl, 'key' | 'value' | 'elem'> {
  if (!t) return {};
  const args = t.args.filter((a) => a.text !== '_');
  if (kind === 'StableBTreeMap') return { key: args[0], value: args[1] };
  if (kind === 'StableBTreeSet') return { key: args[0] };
  return { elem: args[0] };
}

interface Owner {
  name: string;
  context: Context;
  type?: TypeRef;
  fnName?: string;
  nameNode?: Node;
}

function ownerOf(ctx: FileContext, call: Node, inThreadLocal: boolean): Owner {
  const fn = ancestor(call, 'function_item');
  const fnName = fn ? field(fn, 'name')?.text : undefined;
  const context: Context = fn ? 'function' : inThreadLocal ? 'thread_local' : 'static';
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'static_item' || p.type === 'const_item' || p.type === 'let_declaration') {
      const nameNode = field(p, p.type === 'let_declaration' ? 'pattern' : 'name');
      const typeNode = field(p, 'type');
      return { name: nameNode?.text ?? '?', context, type: typeNode ? ctx.typeRef(typeNode) : undefined, fnName, nameNode };
    }
    if (p.type === 'field_initializer') {
      const nameNode = field(p, 'field');
      return { name: nameNode?.text ?? '?', context, fnName, nameNode };
    }
    if (p.type === 'assignment_expression') {
      const left = field(p, 'left');
      const nameNode = left ? (lastIdentifier(left) ?? left) : undefined;
      return { name: nameNode?.text ?? '?', context, fnName, nameNode };
    }
    if (p.type === 'function_item' || p.type === 'closure_expression') break;
  }
  return { name: fnName ?? '?', context, fnName };
}

function lastIdentifier(node: Node): Node | undefined {
  if (node.type === 'identifier' || node.type === 'field_identifier') return node;
  if (node.type === 'field_expression') return field(node, 'field');
  for (let i = node.namedChildCount - 1; i >= 0; i--) {
    const c = node.namedChild(i);
    const found = c ? lastIdentifier(c) : undefined;
    if (found) return found;
  }
  return undefined;
}

function resultHandling(ctx: FileContext, call: Node): StructureDecl['resultHandling'] {
  const parent = call.parent;
  if (parent?.type === 'try_expression') return { kind: 'try', loc: { file: ctx.file, start: call.endIndex, end: parent.endIndex } };
  if (parent?.type === 'field_expression' && parent.parent?.type === 'call_expression') {
    const method = field(parent, 'field');
    if (method && (method.text === 'expect' || method.text === 'unwrap')) return { kind: method.text, loc: ctx.loc(method) };
  }
  return undefined;
}

/** Every stable-structure constructor call below `root`. */
export function extractStructures(ctx: FileContext, root: Node, inThreadLocal: boolean, aliases: TypeAlias[] = []): StructureDecl[] {
  const out: StructureDecl[] = [];
  // `type Users = StableBTreeMap<..>; Users::init(..)`: a constructor called through an alias of this file.
  const aliasKinds = new Map(aliases.flatMap((a) => (structureKindOf(a.type.path) ? [[a.name, a.type] as const] : [])));
  for (const call of ctx.descendants(root, 'call_expression')) {
    if (inTestCode(call)) continue;
    const callee = field(call, 'function');
    if (callee?.type !== 'scoped_identifier') continue;
    const ctor = field(callee, 'name')?.text;
    if (!ctor || !CONSTRUCTORS.has(ctor)) continue;
    const typePath = field(callee, 'path');
    const segs = pathSegments(typePath);
    const viaAlias = segs.length === 1 ? aliasKinds.get(segs[0]) : undefined;
    const kind = structureKindOf(ctx.resolvePath(segs)) ?? (viaAlias ? structureKindOf(viaAlias.path) : undefined);
    if (!kind || !typePath) continue;
    const owner = ownerOf(ctx, call, inThreadLocal);
    const turbofish = typePath.type === 'generic_type' ? ctx.typeRef(typePath) : viaAlias;
    const declared = findStructureType(owner.type, kind) ?? (turbofish?.args.length ? turbofish : undefined);
    const { args } = callParts(call);
    const memArgs = kind === 'StableLog' ? args.slice(0, 2) : args.slice(0, 1);
    out.push({
      name: owner.name,
      kind,
      type: declared,
      ...typeArgs(kind, declared),
      ownerType: declared ? undefined : owner.type,
      ctor,
      ctorLoc: ctx.loc(field(callee, 'name')!),
      memories: memArgs.map((a) => memorySource(ctx, a)),
      context: owner.context,
      fnName: owner.fnName,
      resultHandling: resultHandling(ctx, call),
      initValue: kind === 'StableCell' && args[1] ? { text: args[1].text, loc: ctx.loc(args[1]) } : undefined,
      nameLoc: ctx.loc(owner.nameNode ?? call),
      loc: ctx.loc(call),
    });
  }
  return out;
}

/** Every `MemoryManager::init(..)` call below `root`. */
export function extractManagers(ctx: FileContext, root: Node, inThreadLocal: boolean): MemoryManagerDecl[] {
  const out: MemoryManagerDecl[] = [];
  for (const call of ctx.descendants(root, 'call_expression')) {
    if (inTestCode(call)) continue;
    const callee = field(call, 'function');
    if (callee?.type !== 'scoped_identifier') continue;
    const ctor = field(callee, 'name')?.text;
    if (ctor !== 'init' && ctor !== 'init_with_bucket_size') continue;
    if (
      lastSegment(field(callee, 'path')) !== 'MemoryManager' &&
      ctx
        .resolvePath(pathSegments(field(callee, 'path')))
        .split('::')
        .pop() !== 'MemoryManager'
    )
      continue;
    const owner = ownerOf(ctx, call, inThreadLocal);
    const [wraps, bucket] = callParts(call).args;
    out.push({
      name: owner.name,
      ctor,
      bucketSize: ctor === 'init_with_bucket_size' ? { value: intLiteral(bucket), text: bucket?.text ?? '', loc: ctx.loc(bucket ?? callee) } : undefined,
      wraps: wraps?.text ?? '',
      wrapsDefault: wraps ? mentions(wraps, 'DefaultMemoryImpl') : false,
      ctorLoc: ctx.loc(callee),
      nameLoc: ctx.loc(owner.nameNode ?? call),
    });
  }
  return out;
}
