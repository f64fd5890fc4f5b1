import type { Node } from '../syntax/treeSitter';
import { callParts, children, field, intLiteral, lastSegment, named, pathSegments, walk } from '../syntax/syntax';
import type { Encoder, StorableImpl } from './facts';
import type { Loc } from '../../core/loc';
import type { FileContext } from './fileContext';

const CANDID_CODEC = new Set(['ser', 'de', 'IDLBuilder', 'IDLDeserialize']);

/** Encoders that write a value's fields as they are, so the field types decide the encoded length. */
export const FIELD_ENCODERS = new Set<Encoder>(['candid', 'bincode', 'cbor', 'json']);

/** Which encoder a call or macro path stands for. */
export function encoderOf(path: string[]): Encoder | undefined {
  const last = path[path.length - 1];
  const first = path[0];
  if (last === 'Encode' || last === 'Decode' || last === 'encode_one' || last === 'decode_one' || last === 'encode_args' || last === 'decode_args')
    return 'candid';
  // Other candid paths (`candid::Principal::from_slice`) are types, not the encoder.
  if (first === 'candid' && path.some((s) => CANDID_CODEC.has(s))) return 'candid';
  if (first === 'ciborium' || first === 'serde_cbor' || first === 'minicbor') return 'cbor';
  if (first === 'serde_json') return 'json';
  if (first === 'bincode') return 'bincode';
  if (last === 'into_writer' || last === 'from_reader') return 'cbor';
  return undefined;
}

const MANUAL_METHODS = new Set(['to_be_bytes', 'to_le_bytes', 'from_be_bytes', 'from_le_bytes', 'as_bytes', 'extend_from_slice', 'to_vec', 'as_slice']);

function detectEncoder(ctx: FileContext, fns: Node[]): { encoder: Encoder; loc?: Loc } {
  let manual: Loc | undefined;
  let found: { encoder: Encoder; loc?: Loc } | undefined;
  for (const fn of fns) {
    walk(fn, (n) => {
      if (found) return false;
      if (n.type === 'macro_invocation') {
        const macro = field(n, 'macro');
        const enc = encoderOf(pathSegments(macro));
        const nameNode = macro?.type === 'scoped_identifier' ? field(macro, 'name') : macro;
        if (enc && nameNode) found = { encoder: enc, loc: ctx.loc(nameNode) };
      } else if (n.type === 'call_expression') {
        const parts = callParts(n);
        if (parts.method) {
          if (MANUAL_METHODS.has(parts.method)) manual ??= ctx.loc(field(parts.callee!, 'field') ?? n);
          return;
        }
        const segs = ctx.resolvePath(pathSegments(parts.callee)).split('::');
        const enc = encoderOf(segs);
        const nameNode = parts.callee?.type === 'scoped_identifier' ? field(parts.callee, 'name') : parts.callee;
        if (enc && nameNode) found = { encoder: enc, loc: ctx.loc(nameNode) };
      }
    });
    if (found) return found;
  }
  return manual ? { encoder: 'manual', loc: manual } : { encoder: 'unknown' };
}

type BoundFacts = Pick<StorableImpl, 'bound' | 'boundLoc' | 'boundValueLoc' | 'isFixedLoc' | 'maxSizeLoc'>;

function boundOf(ctx: FileContext, value: Node): BoundFacts {
  const variant = value.type === 'scoped_identifier' ? field(value, 'name') : value;
  if ((value.type === 'scoped_identifier' || value.type === 'identifier') && variant?.text === 'Unbounded') {
    return { bound: { kind: 'unbounded' }, boundLoc: ctx.loc(variant), boundValueLoc: ctx.loc(value) };
  }
  if (value.type === 'struct_expression') {
    const nameNode = field(value, 'name');
    if (lastSegment(nameNode) !== 'Bounded') return {};
    const bodyNode = field(value, 'body');
    let maxSize: Node | undefined;
    let isFixed: Node | undefined;
    for (const init of bodyNode ? named(bodyNode) : []) {
      if (init.type === 'shorthand_field_initializer') continue;
      const f = field(init, 'field')?.text;
      if (f === 'max_size') maxSize = field(init, 'value');
      if (f === 'is_fixed_size') isFixed = field(init, 'value');
    }
    const fixedText = isFixed?.text ?? '';
    return {
      bound: {
        kind: 'bounded',
        maxSize: intLiteral(maxSize),
        maxSizeText: maxSize?.text ?? '',
        isFixed: fixedText === 'true' ? true : fixedText === 'false' ? false : undefined,
        isFixedText: fixedText,
      },
      boundLoc: ctx.loc(nameNode?.type === 'scoped_type_identifier' ? (field(nameNode, 'name') ?? nameNode) : (nameNode ?? value)),
      boundValueLoc: ctx.loc(value),
      isFixedLoc: isFixed ? ctx.loc(isFixed) : undefined,
      maxSizeLoc: maxSize ? ctx.loc(maxSize) : undefined,
    };
  }
  return {};
}

/**
 * Whether the trait of an impl is ic-stable-structures' own: a path into the library, or a bare
 * name that no trait of the same file declares. A crate may define a trait named `Storable` of its
 * own (or import one from elsewhere in the crate), and the library's rules say nothing about it.
 */
function isLibraryTrait(ctx: FileContext, traitNode: Node, name: string): boolean {
  const segments = pathSegments(traitNode);
  const resolved = ctx.resolvePath(segments);
  if (resolved.startsWith('ic_stable_structures')) return true;
  if (segments.length > 1 || resolved !== name) return false;
  return !traitNode.tree.rootNode.descendantsOfType('trait_item').some((t) => t !== null && field(t, 'name')?.text === name);
}

/** `impl Storable for T` and 0.5's `impl BoundedStorable for T`. */
export function extractStorables(ctx: FileContext, root: Node): StorableImpl[] {
  const out: StorableImpl[] = [];
  for (const impl of ctx.descendants(root, 'impl_item')) {
    const traitNode = field(impl, 'trait');
    const traitName = lastSegment(traitNode);
    if (!traitNode || (traitName !== 'Storable' && traitName !== 'BoundedStorable')) continue;
    if (!isLibraryTrait(ctx, traitNode, traitName)) continue;
    const typeNode = field(impl, 'type');
    if (!typeNode) continue;
    const body = field(impl, 'body');
    const items = body ? named(body) : [];
    const entry: StorableImpl = {
      typeName: lastSegment(typeNode) ?? typeNode.text,
      trait: traitName,
      encoder: 'unknown',
      methods: [],
      traitLoc: ctx.loc(traitNode.type === 'scoped_type_identifier' ? (field(traitNode, 'name') ?? traitNode) : traitNode),
      typeLoc: ctx.loc(typeNode),
      loc: ctx.loc(impl),
    };
    const encodeFns: Node[] = [];
    let maxSizeConst: Node | undefined;
    let fixedConst: Node | undefined;
    for (const item of items) {
      if (item.type === 'function_item') {
        const nameNode = field(item, 'name');
        if (!nameNode) continue;
        entry.methods.push({ name: nameNode.text, loc: ctx.loc(nameNode) });
        if (nameNode.text === 'to_bytes' || nameNode.text === 'into_bytes') encodeFns.push(item);
      } else if (item.type === 'const_item') {
        const name = field(item, 'name')?.text;
        const value = field(item, 'value');
        if (name) (entry.consts ??= []).push({ name, loc: ctx.loc(field(item, 'name')!) });
        if (name === 'BOUND' && value) Object.assign(entry, boundOf(ctx, value));
        if (name === 'MAX_SIZE') maxSizeConst = item;
        if (name === 'IS_FIXED_SIZE') fixedConst = item;
      }
    }
    if (traitName === 'BoundedStorable' && maxSizeConst) {
      const value = field(maxSizeConst, 'value');
      const fixedValue = fixedConst ? field(fixedConst, 'value') : undefined;
      const fixedText = fixedValue?.text ?? '';
      entry.bound = {
        kind: 'bounded',
        maxSize: intLiteral(value),
        maxSizeText: value?.text ?? '',
        isFixed: fixedText === 'true' ? true : fixedText === 'false' ? false : undefined,
        isFixedText: fixedText,
      };
      entry.boundLoc = ctx.loc(field(maxSizeConst, 'name')!);
      entry.maxSizeLoc = value ? ctx.loc(value) : undefined;
      entry.isFixedLoc = fixedValue ? ctx.loc(fixedValue) : undefined;
    }
    const enc = detectEncoder(ctx, encodeFns);
    entry.encoder = enc.encoder;
    entry.encoderLoc = enc.loc;
    out.push(entry);
  }
  return out;
}

/** The items of an attribute such as `#[serde(default, rename = "x")]`: ["default", "rename = \"x\""]. */
export function attributeItems(tokenTree: Node | undefined): string[] {
  if (!tokenTree) return [];
  const out: string[] = [];
  let current = '';
  const parts = children(tokenTree).slice(1, -1);
  for (const tok of parts) {
    if (tok.type === ',') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else {
      current += ` ${tok.text}`;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
