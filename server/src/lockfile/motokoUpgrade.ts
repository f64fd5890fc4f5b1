import { effectiveSeverity, type AnalysisConfig } from '../core/config';
import type { MotokoBaseline } from './motokoBaseline';
import type { MotokoCompiler } from '../motoko/compiler/api';
import type { CompatibilityResult, SignatureResult } from '../motoko/compiler/protocol';

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

/** The recorded signature as the `.most` text the compiler reads. */
export function recordedMost(baseline: MotokoBaseline): string {
  return baseline.entry.signature.join('\n') + '\n';
}

/**
 * Compiles the current signature (unless given) and runs the compiler's upgrade check against the
 * baseline. A program that does not compile gets no verdict: its compiler errors say why.
 */
export async function compareWithBaseline(
  compiler: MotokoCompiler,
  baseline: MotokoBaseline,
  main: string,
  flags: string[],
  current?: SignatureResult,
): Promise<Pick<MotokoUpgrade, 'compatibility' | 'signature'>> {
  const signature = current ?? (await compiler.signature(main, flags));
  if (!signature.most) return {};
  const compatibility = await compiler.compatible(recordedMost(baseline), signature.most);
  return { compatibility, signature: signature.most };
}
