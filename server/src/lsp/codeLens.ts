import type { CodeLens } from 'vscode-languageserver';
import type { CrateResult } from '../check/rust';
import { describeBound } from '../rust/model/bounds';
import type { StructureDecl, TypeRef } from '../rust/model/facts';
import { SHOW_MEMORY_MAP_COMMAND } from '../protocol/requests';
import { rangeOf } from './diagnostics';
import { encoderName } from './hover';
import { structureTypeText } from './locate';

/** `User: Unbounded (CBOR)`: a type's bound, and its encoder when the crate implements Storable for it. */
function boundText(result: CrateResult, t: TypeRef): string {
  const impl = result.model.storable(t.name);
  const encoder = impl && impl.encoder !== 'unknown' ? ` (${encoderName(impl.encoder)})` : '';
  return `${t.text}: ${describeBound(result.model.boundOf(t))}${encoder}`;
}

/** `MemoryId 3 · StableBTreeMap<u64, User> · User: Unbounded (CBOR)`. */
export function lensTitle(result: CrateResult, s: StructureDecl): string {
  const slots = result.model.slots.filter((slot) => slot.structure === s);
  const ids = slots.map((slot) => `${slot.id ?? '?'}${slot.role ? ` (${slot.role})` : ''}`);
  const parts = [`MemoryId ${ids.length ? ids.join(', ') : '?'}`, structureTypeText(s)];
  // The key is worth a mention only when the crate defines its encoding; the value or element always is.
  if (s.key && result.model.storable(s.key.name)) parts.push(boundText(result, s.key));
  const main = s.value ?? s.elem;
  if (main) parts.push(boundText(result, main));
  return parts.join(' · ');
}

/** One lens above each stable structure of the file; clicking it opens the memory map. */
export function codeLenses(result: CrateResult, file: string, uri: string): CodeLens[] {
  const facts = result.model.factsOf(file);
  return (facts?.structures ?? []).map((s) => ({
    range: rangeOf(result, s.nameLoc),
    command: { title: lensTitle(result, s), command: SHOW_MEMORY_MAP_COMMAND, arguments: [{ uri, name: s.name }] },
  }));
}
