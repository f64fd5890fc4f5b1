import { effectiveSeverity, type AnalysisConfig } from '../analysis/config';
import { buildMotokoCanister, motokoLockText } from '../lockfile/motoko';
import type { Fix } from '../rules/types';
import type { MotokoBaseline } from './baseline';
import type { MotokoCompiler } from './compiler';
import type { MotokoFileModel } from './model';
import type { CompatibilityResult, SignatureResult } from './protocol';

/** What the upgrade rules know about a canister's main file: its baseline and the compiler's verdict. */
export interface MotokoUpgrade {
  canister: string;
  baseline: MotokoBaseline;
  /** `stableCompatible(recorded, current)`; absent until a current signature exists (compiled once edits pause, on save or on demand). */
  compatibility?: CompatibilityResult;
  /** The current signature, while it still matches the source: the record fix writes it. */
  signature?: string;
  /** The flags the canister compiles with, for the persistence the lockfile records. */
  flags: string[];
}

/** The stable variable a compatibility message is about: the first back-quoted name after "variable". */
export function variableOf(message: string): string | undefined {
  return /\bvariable `([^`]+)`/.exec(message)?.[1];
}

/** The variables the compiler refused the upgrade for: other findings about them would only repeat it. */
export function brokenVariables(upgrade: MotokoUpgrade): Set<string> {
  return new Set((upgrade.compatibility?.diagnostics ?? []).flatMap((d) => variableOf(d.message) ?? []));
}

/** False when `stable-signature-break` is off: then no signature needs compiling just for a verdict. */
export function wantsVerdict(config: AnalysisConfig): boolean {
  return effectiveSeverity({ id: 'stable-signature-break', defaultSeverity: 'error' }, config) !== undefined;
}

export const RECORD_MOTOKO_TITLE = 'Record the new layout in stable-layout.lock.json';

/** The recorded signature as the `.most` text the compiler reads. */
export function recordedMost(baseline: MotokoBaseline): string {
  return baseline.entry.signature.join('\n') + '\n';
}

/**
 * Compiles the current signature (unless given) and runs the compiler's upgrade check against the
 * baseline. A program that does not compile gets no verdict: its compiler errors say why.
 */
export async function compareWithBaseline(compiler: MotokoCompiler, baseline: MotokoBaseline, main: string, flags: string[], current?: SignatureResult): Promise<Pick<MotokoUpgrade, 'compatibility' | 'signature'>> {
  const signature = current ?? (await compiler.signature(main, flags));
  if (!signature.most) return {};
  const compatibility = await compiler.compatible(recordedMost(baseline), signature.most);
  return { compatibility, signature: signature.most };
}

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
