import { compareVersion, type LibVersion } from '../../rust/project/crate';
import type { TypeDef } from '../../rust/model/facts';
import { field, named } from '../../rust/syntax/syntax';
import type { Node } from '../../rust/syntax/treeSitter';
import type { TextEdit } from '../../core/findings';
import { ISS, type FileImports } from './fileImports';
import { indentAt, lineStartOf, type SyntaxCache } from './syntaxCache';
import { hasDerive } from './storableSupport';

export interface StorableEdits {
  edits: TextEdit[];
  /** Crates the generated code needs in Cargo.toml. */
  dependencies: string[];
}

/** The struct or enum item a TypeDef was read from. */
function itemOf(syntax: SyntaxCache, def: TypeDef): Node | undefined {
  const name = syntax.nodeAt(def.loc.file, def.loc.start, 'type_identifier');
  const item = name?.parent;
  return item && (item.type === 'struct_item' || item.type === 'enum_item') ? item : undefined;
}

/** Generic types would need bounds on the impl; the fix leaves them to the developer. */
export function canGenerateStorable(syntax: SyntaxCache, def: TypeDef): boolean {
  const item = itemOf(syntax, def);
  return item !== undefined && !field(item, 'type_parameters');
}

function attributeItemsBefore(item: Node): Node[] {
  const out: Node[] = [];
  for (let p = item.previousNamedSibling; p; p = p.previousNamedSibling) {
    if (p.type === 'attribute_item') out.unshift(p);
    else if (!p.type.endsWith('comment')) break;
  }
  return out;
}

/** Adds serde's derives the CBOR encoding needs, to the existing derive list or as a new attribute. */
function deriveEdit(syntax: SyntaxCache, item: Node, def: TypeDef, imports: FileImports): TextEdit | undefined {
  const missing = ['Serialize', 'Deserialize'].filter((d) => !hasDerive(def, d)).map((d) => imports.refNoImport(`serde::${d}`));
  if (missing.length === 0) return undefined;
  const file = def.loc.file;
  const derive = attributeItemsBefore(item)
    .map((a) => named(a).find((c) => c.type === 'attribute'))
    .filter((a): a is Node => a !== undefined && a.namedChildren[0]?.text === 'derive')
    .pop();
  const args = derive ? field(derive, 'arguments') : undefined;
  if (args && args.lastChild?.text === ')') {
    const close = args.endIndex - 1;
    const before = args.lastChild.previousSibling;
    const lead = before?.type === '(' ? '' : before?.type === ',' ? ' ' : ', ';
    return { file, start: close, end: close, newText: `${lead}${missing.join(', ')}` };
  }
  const text = syntax.text(file);
  const at = lineStartOf(text, item.startIndex);
  return { file, start: at, end: at, newText: `${indentAt(text, item.startIndex)}#[derive(${missing.join(', ')})]\n` };
}

/**
 * A CBOR `Storable` impl right after the type, for the crate's library version: `into_bytes` is
 * required from 0.7 on and unknown before (research §1.1). Unbounded, so the type may grow.
 */
export function storableImplEdits(syntax: SyntaxCache, def: TypeDef, version: LibVersion, imports: FileImports): StorableEdits | undefined {
  const item = itemOf(syntax, def);
  if (!item) return undefined;
  const text = syntax.text(def.loc.file);
  const ind = indentAt(text, item.startIndex);
  const storable = imports.ref(`${ISS}::Storable`);
  const bound = imports.ref(`${ISS}::storable::Bound`);
  const cow = imports.ref('std::borrow::Cow');
  const v07 = compareVersion(version, 0, 7) >= 0;
  const body = [
    `impl ${storable} for ${def.name} {`,
    `    fn to_bytes(&self) -> ${cow}<${v07 ? "'_, " : ''}[u8]> {`,
    `        let mut bytes = Vec::new();`,
    `        ciborium::into_writer(self, &mut bytes).expect("failed to encode ${def.name}");`,
    `        ${cow}::Owned(bytes)`,
    `    }`,
    '',
    ...(v07 ? [`    fn into_bytes(self) -> Vec<u8> {`, `        self.to_bytes().into_owned()`, `    }`, ''] : []),
    `    fn from_bytes(bytes: ${cow}<[u8]>) -> Self {`,
    `        ciborium::from_reader(bytes.as_ref()).expect("failed to decode ${def.name}")`,
    `    }`,
    '',
    `    const BOUND: ${bound} = ${bound}::Unbounded;`,
    `}`,
  ];
  const edits: TextEdit[] = [];
  const derive = deriveEdit(syntax, item, def, imports);
  if (derive) edits.push(derive);
  const implText = body.map((l) => (l ? ind + l : l)).join('\n');
  edits.push({ file: def.loc.file, start: item.endIndex, end: item.endIndex, newText: `\n\n${implText}` });
  return { edits, dependencies: derive ? ['ciborium', 'serde'] : ['ciborium'] };
}
