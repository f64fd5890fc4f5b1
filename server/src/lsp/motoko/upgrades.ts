import * as path from 'node:path';
import type { FileSystem } from '../../core/fileSystem';
import { baselineStamp } from '../../lockfile/baseline';
import { parseBaselineSpec } from '../../core/config';
import { loadMotokoBaseline, type MotokoBaseline } from '../../lockfile/motokoBaseline';
import type { MotokoCompiler } from '../../motoko/compiler/api';
import type { MotokoFileModel } from '../../motoko/model/model';
import { canisterMains, type CanisterMain } from '../../check/motokoProject';
import { flagsFor, type MotokoProject } from '../../motoko/project/project';
import type { CompatibilityResult, SignatureResult } from '../../motoko/compiler/protocol';
import { compareWithBaseline, wantsVerdict, type MotokoUpgrade } from '../../lockfile/motokoUpgrade';
import type { StableLensSettings } from '../../protocol/requests';
import type { Logger } from '../log';
import { analysisConfig } from '../settings';

export interface UpgradeDeps {
  fs: FileSystem;
  log: Logger;
  warn(message: string): void;
  /** The project's compiler and settings (the compiler starts on first use). */
  entry(project: MotokoProject): Promise<{ compiler: MotokoCompiler; settings: StableLensSettings }>;
  /** Compiles a main file's signature unless a fresh one is cached; its completion comes back through `signed`. */
  signature(main: string): Promise<SignatureResult | undefined>;
  /** Whether a signature still matches the sources: none of them changed since its compile started. */
  current(main: string, result: SignatureResult): boolean;
  /** Checks a file again: a new verdict arrived. */
  recheck(file: string): void;
}

interface Verdict {
  compatibility?: CompatibilityResult;
  signature?: string;
  /** The source changed since the signature was compiled: the verdict still shows, but nothing records it. */
  stale: boolean;
}

/**
 * Upgrade checks of Motoko canisters in the editor. A canister's baseline is loaded once (until a
 * lockfile, a `.most` or the settings change). The compiler's verdict needs a current signature,
 * which is compiled once edits pause, on save, on demand (hover, map) and once at start, never per
 * keystroke; each check of the main file shows the latest verdict, with the initializer checks run
 * on every edit.
 */
export class MotokoUpgrades {
  private readonly baselines = new Map<string, { stamp: string; canister: CanisterMain; found: Promise<MotokoBaseline | undefined> }>();
  private readonly verdicts = new Map<string, Verdict>();
  /** Signatures already compared since the last reset: the cache hands the same result out again. */
  private compared = new WeakSet<SignatureResult>();

  constructor(private readonly deps: UpgradeDeps) {}

  /** The canister whose main file this is, from the manifests or (loose files) from the file's own actor. */
  canisterOf(project: MotokoProject, file: string, model: MotokoFileModel | undefined): CanisterMain | undefined {
    return canisterMains(project, [{ file, model }]).find((c) => c.main === file);
  }

  /** A canister's baseline, loaded again when a git baseline's ref has moved since (a commit, a checkout). */
  private async baseline(project: MotokoProject, canister: CanisterMain): Promise<MotokoBaseline | undefined> {
    const { compiler, settings } = await this.deps.entry(project);
    const spec = parseBaselineSpec(settings.baseline);
    if ('error' in spec) return undefined;
    const stamp = baselineStamp(project.root, spec);
    const cached = this.baselines.get(canister.main);
    if (cached?.stamp === stamp) return cached.found;
    // The verdict compared the code with the layout the ref used to point at.
    if (cached) this.verdicts.delete(canister.main);
    const found = loadMotokoBaseline({
      fs: this.deps.fs,
      project,
      canister,
      spec,
      flags: flagsFor(project, canister.main).args,
      compiler,
      warn: this.deps.warn,
    });
    this.baselines.set(canister.main, { stamp, canister, found });
    return found;
  }

  /** What the check of a file gets: for a canister's main file with a baseline, the baseline and the latest verdict. */
  async context(project: MotokoProject, file: string, model: MotokoFileModel | undefined): Promise<MotokoUpgrade | undefined> {
    const canister = model?.actors.length ? this.canisterOf(project, file, model) : undefined;
    const baseline = canister && (await this.baseline(project, canister));
    if (!canister || !baseline) return undefined;
    const verdict = this.verdicts.get(file);
    return {
      canister: canister.name,
      baseline,
      flags: flagsFor(project, file).args,
      compatibility: verdict?.compatibility,
      signature: verdict && !verdict.stale ? verdict.signature : undefined,
    };
  }

  /** A fresh signature of a main file: the compiler compares it with the baseline, and the file is checked again. */
  async signed(project: MotokoProject, main: string, result: SignatureResult): Promise<void> {
    // A loose file's canister is known from the check that loaded its baseline.
    const cached = this.baselines.get(main)?.canister;
    const canister = cached ?? project.canisters.find((c) => c.main === main) ?? { name: path.basename(main, '.mo'), main };
    const baseline = cached || project.canisters.length ? await this.baseline(project, canister) : undefined;
    if (!baseline || this.compared.has(result)) return;
    this.compared.add(result);
    const { compiler } = await this.deps.entry(project);
    const started = Date.now();
    const verdict = await compareWithBaseline(compiler, baseline, main, flagsFor(project, main).args, result);
    if (verdict.compatibility?.error) this.deps.warn(`${main}: the upgrade check against ${baseline.label} could not run (${verdict.compatibility.error})`);
    this.deps.log.trace(`Stable Lens: compared ${main} with ${baseline.label} in ${Date.now() - started} ms`);
    // A program that does not compile has no verdict: its compiler errors say why. An edit during
    // the compile leaves the verdict shown but stale, so the record fix never writes an old signature.
    if (verdict.compatibility) this.verdicts.set(main, { ...verdict, stale: !this.deps.current(main, result) });
    else this.verdicts.delete(main);
    this.deps.recheck(main);
  }

  /** Compiles the signature of each main file with a baseline once, so its verdict shows without a save. */
  async prime(project: MotokoProject, mains: string[], modelOf: (file: string) => MotokoFileModel | undefined): Promise<void> {
    for (const main of await this.withBaseline(project, mains, modelOf)) {
      if (this.verdicts.has(main)) continue;
      // A cached signature comes back without a compile: it is compared here.
      const result = await this.deps.signature(main);
      if (result) await this.signed(project, main, result);
    }
  }

  /** The main files whose verdict needs a signature: those with a baseline, while the rule is on. */
  async withBaseline(project: MotokoProject, mains: string[], modelOf: (file: string) => MotokoFileModel | undefined): Promise<string[]> {
    if (!wantsVerdict(analysisConfig((await this.deps.entry(project)).settings))) return [];
    const wanted: string[] = [];
    for (const main of mains) {
      const canister = this.canisterOf(project, main, modelOf(main));
      if (canister && (await this.baseline(project, canister))) wanted.push(main);
    }
    return wanted;
  }

  /** The project's sources changed: verdicts stay visible until the next signature, but cannot be recorded. */
  markStale(project: MotokoProject): void {
    for (const [main, v] of this.verdicts) if (project.files.includes(main)) v.stale = true;
  }

  /** A lockfile, a `.most` or the settings changed: baselines are read again, and verdicts with them. */
  reset(): string[] {
    const mains = [...new Set([...this.baselines.keys(), ...this.verdicts.keys()])];
    this.baselines.clear();
    this.verdicts.clear();
    this.compared = new WeakSet();
    return mains;
  }
}
