import type { Node, Tree } from '../syntax/treeSitter';
import { ancestor, callParts, field, intLiteral, lastSegment, named, pathSegments, walk } from '../syntax/syntax';
import type { ConstDecl, FieldDecl, MemoryGetter, MemoryIdNewSite, TypeAlias, TypeDef, TypeRef } from './facts';
import type { FileContext } from './fileContext';
import { idRef, memoryIdNewArg } from './memorySources';
import { cfgVerdict } from './cfg';
import { attributeItems } from './storable';

/** `const X: MemoryId = MemoryId::new(N);` and integer consts that may feed `MemoryId::new(X)`. */
export function extractConsts(ctx: FileContext, root: Node): ConstDecl[] {
  const out: ConstDecl[] = [];
  for (const item of ctx.descendants(root, 'const_item')) {
    if (item.parent?.type === 'declaration_list') continue;
    const nameNode = field(item, 'name');
    const typeNode = field(item, 'type');
    const value = field(item, 'value');
    if (!nameNode || !value) continue;
    const typeText = typeNode?.text ?? '';
    const isMemoryId = lastSegment(typeNode) === 'MemoryId' || memoryIdNewArg(value) !== undefined;
    const ref = idRef(ctx, value);
    if (!isMemoryId && intLiteral(value) === undefined) continue;
    out.push({
      name: nameNode.text,
      type: typeText,
      valueText: value.text,
      value: ref?.kind === 'literal' ? ref.value : undefined,
      viaConst: ref?.kind === 'const' ? ref.name : undefined,
      isMemoryId,
      loc: ctx.loc(nameNode),
      valueLoc: ref ? ref.loc : ctx.loc(value),
    });
  }
  return out;
}

/** Functions returning a memory: `fn users() -> Memory { MM.with(|m| m.borrow().get(USERS)) }`. */
export function extractGetters(ctx: FileContext, root: Node): MemoryGetter[] {
  const out: MemoryGetter[] = [];
  for (const fn of ctx.descendants(root, 'function_item')) {
    const ret = field(fn, 'return_type');
    const nameNode = field(fn, 'name');
    const body = field(fn, 'body');
    if (!ret || !nameNode || !body || !/Memory/.test(lastSegment(ret) ?? ret.text)) continue;
    const params = field(fn, 'parameters');
    const paramNames = params ? named(params).map((p) => field(p, 'pattern')?.text) : [];
    let getter: MemoryGetter | undefined;
    walk(body, (n) => {
      if (getter || n.type !== 'call_expression') return;
      const parts = callParts(n);
      if (parts.method !== 'get' || parts.args.length !== 1) return;
      // `get(MemoryId::new(id))` with a `u8` parameter passes the id through just like `get(id)`.
      const arg = memoryIdNewArg(parts.args[0]) ?? parts.args[0];
      const paramIndex = arg.type === 'identifier' ? paramNames.indexOf(arg.text) : -1;
      if (paramIndex >= 0) getter = { name: nameNode.text, paramIndex, loc: ctx.loc(nameNode) };
      else {
        const id = idRef(ctx, arg);
        if (id) getter = { name: nameNode.text, id, loc: ctx.loc(nameNode) };
      }
    });
    if (getter) out.push(getter);
  }
  return out;
}

/** Every `MemoryId::new(..)` call, for checks on the id values themselves. */
export function extractMemoryIdSites(ctx: FileContext, root: Node): MemoryIdNewSite[] {
  const out: MemoryIdNewSite[] = [];
  for (const call of ctx.descendants(root, 'call_expression')) {
    if (inTestCode(call)) continue;
    const arg = memoryIdNewArg(call);
    const id = arg ? idRef(ctx, arg) : undefined;
    if (id) out.push({ id, loc: ctx.loc(call) });
  }
  return out;
}

function precedingAttributes(node: Node): Node[] {
  const out: Node[] = [];
  for (let p = node.previousNamedSibling; p; p = p.previousNamedSibling) {
    if (p.type === 'attribute_item') out.unshift(p);
    else if (p.type !== 'line_comment' && p.type !== 'block_comment') break;
  }
  return out;
}

/** The attribute's path (`serde`, `ic_cdk::init`) and its argument token tree. */
export function attributesOf(node: Node): { path: string[]; args?: Node; node: Node }[] {
  return precedingAttributes(node).flatMap((item) => {
    const attr = named(item).find((c) => c.type === 'attribute');
    if (!attr) return [];
    const pathNode = named(attr).find((c) => c.type === 'identifier' || c.type === 'scoped_identifier');
    return [{ path: pathSegments(pathNode), args: field(attr, 'arguments'), node: item }];
  });
}

function fieldsOf(ctx: FileContext, list: Node | undefined): FieldDecl[] {
  if (!list || list.type !== 'field_declaration_list') return [];
  const hasSerde = list.text.includes('serde');
  return named(list)
    .filter((f) => f.type === 'field_declaration')
    .flatMap((f) => {
      const nameNode = field(f, 'name');
      const typeNode = field(f, 'type');
      if (!nameNode || !typeNode) return [];
      // Serde attributes are looked up only where the struct mentions serde at all.
      const serde = !hasSerde
        ? []
        : attributesOf(f)
            .filter((a) => a.path[a.path.length - 1] === 'serde')
            .flatMap((a) => attributeItems(a.args));
      return [{ name: nameNode.text, type: ctx.typeRef(typeNode), serde, loc: ctx.loc(nameNode) }];
    });
}

const TYPE_ITEMS = ['struct_item', 'enum_item', 'type_item'];
const TYPE_SCOPES = new Set(['function_item', 'impl_item', 'trait_item']);

export function extractTypes(ctx: FileContext, root: Node): { types: TypeDef[]; aliases: TypeAlias[] } {
  const types: TypeDef[] = [];
  const aliases: TypeAlias[] = [];
  // Function bodies hold no type definitions the model uses, and impl or trait bodies only associated types.
  const nodes = ctx.descendants(root, TYPE_ITEMS).filter((n) => !ancestor(n, [...TYPE_SCOPES]));
  for (const n of nodes) {
    if (n.type === 'struct_item' || n.type === 'enum_item') {
      const nameNode = field(n, 'name');
      const body = field(n, 'body');
      if (!nameNode) continue;
      const derives = attributesOf(n)
        .filter((a) => a.path[a.path.length - 1] === 'derive')
        .flatMap((a) => (a.args ? named(a.args).map((c) => c.text) : []));
      const def: TypeDef = {
        name: nameNode.text,
        kind: n.type === 'struct_item' ? 'struct' : 'enum',
        fields: [],
        variantTypes: [],
        derives,
        loc: ctx.loc(nameNode),
      };
      if (n.type === 'struct_item') {
        if (body?.type === 'field_declaration_list') def.fields = fieldsOf(ctx, body);
        else if (body?.type === 'ordered_field_declaration_list') def.variantTypes = tupleFieldTypes(ctx, body);
      } else if (body) {
        for (const variant of named(body).filter((v) => v.type === 'enum_variant')) {
          const vb = field(variant, 'body');
          if (vb?.type === 'field_declaration_list') def.variantTypes.push(...fieldsOf(ctx, vb).map((f) => f.type));
          else if (vb?.type === 'ordered_field_declaration_list') def.variantTypes.push(...tupleFieldTypes(ctx, vb));
        }
      }
      types.push(def);
      continue;
    }
    const nameNode = field(n, 'name');
    const typeNode = field(n, 'type');
    if (nameNode && typeNode) aliases.push({ name: nameNode.text, type: ctx.typeRef(typeNode), loc: ctx.loc(nameNode) });
  }
  return { types, aliases };
}

function tupleFieldTypes(ctx: FileContext, body: Node): TypeRef[] {
  return body.childrenForFieldName('type').flatMap((t) => (t ? [ctx.typeRef(t)] : []));
}

/** True inside `#[test]` functions and `#[cfg(test)]` modules: test code never runs in a canister. */
export function inTestCode(node: Node): boolean {
  const ranges = testRanges(node.tree);
  return ranges.some(([start, end]) => node.startIndex >= start && node.endIndex <= end);
}

/** `#[test]`, or a `cfg` the canister's build leaves out: tests, benchmarks, native-only code. */
function isTestAttribute(attr: { path: string[]; args?: Node }): boolean {
  const name = attr.path[attr.path.length - 1];
  return name === 'test' || (name === 'cfg' && attr.args !== undefined && cfgVerdict(attr.args) === 'off');
}

/** Attribute texts that can say test code: any other attribute is skipped without a look at its tree. */
export function mayMarkTestCode(text: string): boolean {
  return text.includes('test') || text.includes('wasm32') || text.includes('bench') || text.includes('feature');
}

export function isTestItem(item: Node): boolean {
  return attributesOf(item).some(isTestAttribute);
}

/** `#[test]` or `#[cfg(test)]`, for one attribute_item node. */
export function isTestAttributeItem(item: Node): boolean {
  if (!mayMarkTestCode(item.text)) return false;
  const attr = named(item).find((c) => c.type === 'attribute');
  const pathNode = attr ? named(attr).find((c) => c.type === 'identifier' || c.type === 'scoped_identifier') : undefined;
  return attr !== undefined && isTestAttribute({ path: pathSegments(pathNode), args: field(attr, 'arguments') });
}

/** Records where a tree's test code is, when the caller already knows (from its units), so no query runs. */
export function setTestRanges(tree: Tree, ranges: [number, number][]): void {
  rangesByTree.set(tree, ranges);
}

// Test items are found once per tree: asking every call for its ancestors' attributes costs far more.
const rangesByTree = new WeakMap<Tree, [number, number][]>();

function testRanges(tree: Tree): [number, number][] {
  let ranges = rangesByTree.get(tree);
  if (!ranges) {
    // Only files that mention `test` can hold test items; most do not, and then no query runs.
    const candidates = mayMarkTestCode(tree.rootNode.text) ? tree.rootNode.descendantsOfType(['function_item', 'mod_item', 'macro_invocation']) : [];
    ranges = candidates.filter((n): n is Node => n !== null && isTestItem(n)).map((n) => [n.startIndex, n.endIndex] as [number, number]);
    rangesByTree.set(tree, ranges);
  }
  return ranges;
}
