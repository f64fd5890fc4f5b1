import type { Fix } from '../../core/findings';
import { buildMotokoCanister, motokoLockText } from '../../lockfile/motoko';
import type { MotokoUpgrade } from '../../lockfile/motokoUpgrade';
import type { MotokoFileModel } from '../../motoko/model/model';

export const RECORD_MOTOKO_TITLE = 'Record the new layout in stable-layout.lock.json';

/**
 * Rewrites the canister's entry in its lockfile with the current signature and initializers: for
 * changes that are intended (after a migration). Only a lockfile baseline can be rewritten, and
 * only with a signature compiled from the text being analysed.
 */
export function motokoRecordFix(upgrade: MotokoUpgrade, file: MotokoFileModel): Fix | undefined {
  const lock = upgrade.baseline.lock;
  if (!lock || !upgrade.signature) return undefined;
  const entry = buildMotokoCanister({ main: file.file, actor: file.actors[0], most: upgrade.signature, flags: upgrade.flags });
  const newText = motokoLockText(lock.lock, { [upgrade.canister]: entry });
  if (newText === lock.text) return undefined;
  return { title: RECORD_MOTOKO_TITLE, kind: 'unsafe', edits: [{ file: lock.file, start: 0, end: lock.text.length, newText }] };
}
