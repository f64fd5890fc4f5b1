import * as path from 'node:path';
import type { Loc } from '../../core/loc';
import type { LineIndex } from '../../core/text';
import type { MotokoCanisterMapJson, MotokoVariableJson, SourceRef } from '../../protocol/memoryMap';
import type { SignatureResult } from '../compiler/protocol';
import type { MotokoFileModel } from '../model/model';
import { stableVariables } from '../model/signature';
import { BUNDLED_TOOLCHAIN, describeToolchain, type Toolchain } from '../project/toolchain';

/** What the map needs of an analysed main file. */
export interface MappedFile {
  file: string;
  model?: MotokoFileModel;
  lines: LineIndex;
}

/** One Motoko canister in the memory map: stable variables with compiled types when the signature compiled. */
export function motokoCanisterMap(
  name: string,
  result: MappedFile,
  signature: SignatureResult | undefined,
  root: string,
  cwd: string,
  toolchain?: Toolchain,
): MotokoCanisterMapJson | undefined {
  const actor = result.model?.actors[0];
  if (!actor) return undefined;
  const ref = (loc: Loc): SourceRef => {
    const p = result.lines.position(loc.start);
    return { file: path.relative(cwd, loc.file), line: p.line + 1, column: p.character + 1 };
  };
  const compiled = signature?.most ? stableVariables(signature.most) : undefined;
  const stable: MotokoVariableJson[] = [];
  const transient: MotokoVariableJson[] = [];
  for (const field of actor.fields) {
    for (const fieldName of field.names) {
      const entry: MotokoVariableJson = { name: fieldName, kind: field.kind, location: ref(field.nameLoc) };
      const type = compiled?.get(fieldName)?.type ?? (field.names.length === 1 ? field.typeText : undefined);
      if (type) entry.type = type;
      (field.stability === 'stable' ? stable : transient).push(entry);
    }
  }
  const out: MotokoCanisterMapJson = {
    name,
    language: 'motoko',
    root: path.relative(cwd, root) || '.',
    main: path.relative(cwd, result.file),
    persistent: actor.persistent,
    toolchain: describeToolchain(toolchain ?? BUNDLED_TOOLCHAIN),
    stableVariables: stable,
    transientVariables: transient,
  };
  if (signature?.error) out.signatureError = signature.error.split('\n')[0];
  return out;
}
