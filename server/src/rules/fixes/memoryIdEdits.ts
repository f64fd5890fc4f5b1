import type { CanisterModel } from '../../rust/model/canister';
import type { IdRef, MemorySource } from '../../rust/model/facts';
import type { TextEdit } from '../../core/findings';

/** How `MemoryId::new` is spelled in a file: the imported name, or the full path when it is not imported. */
export function memoryIdPath(model: CanisterModel, file: string): string {
  const facts = model.factsOf(file);
  const imported = facts?.uses.find((u) => !u.isGlob && u.path.endsWith('memory_manager::MemoryId'));
  if (imported) return imported.local;
  if (facts?.uses.some((u) => u.isGlob && u.path.endsWith('memory_manager'))) return 'MemoryId';
  return 'ic_stable_structures::memory_manager::MemoryId';
}

/**
 * The edit that makes one id reference mean `id` instead, touching only this use: a literal is
 * replaced; a const reference is replaced by a literal of the const's own kind (u8 or MemoryId).
 */
export function retargetId(model: CanisterModel, ref: IdRef, id: number): TextEdit {
  if (ref.kind === 'literal') return { file: ref.loc.file, start: ref.loc.start, end: ref.loc.end, newText: String(id) };
  const decl = model.constsNamed(ref.name)[0];
  const newText = decl?.isMemoryId ? `${memoryIdPath(model, ref.loc.file)}::new(${id})` : String(id);
  return { file: ref.loc.file, start: ref.loc.start, end: ref.loc.end, newText };
}

/** The id reference a structure's memory source goes through, when a fix can retarget it at the use site. */
export function editableIdRef(model: CanisterModel, source: MemorySource): IdRef | undefined {
  if (source.kind === 'memoryId') return source.id;
  if (source.kind === 'getter') {
    const getter = model.files.flatMap((f) => f.getters).find((g) => g.name === source.fn);
    if (getter?.paramIndex !== undefined) return source.args[getter.paramIndex] ?? source.args[0];
  }
  return undefined;
}
