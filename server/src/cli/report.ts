import * as path from 'node:path';
import { canisterMains, type MotokoProjectResult } from '../check/motokoProject';
import type { CrateResult } from '../check/rust';
import type { ProjectResult } from '../check/rustProject';
import { buildRustLock } from '../lockfile/build';
import { buildMotokoCanister } from '../lockfile/motoko';
import { flatten, type FlatFinding } from './findings';
import { diffMotokoCanisters, diffRustLocks, type Change } from './reportDiff';

/** What an upgrade from the baseline to the working tree does to one canister's stable state. */
export interface CanisterReport {
  name: string;
  language: 'rust' | 'motoko';
  /** The crate's folder, or the Motoko main file, relative to the current folder. */
  path: string;
  /** What the canister was compared with: a lockfile, `git:REF` or a `.most` file; absent without a baseline. */
  baseline?: string;
  /** `changed` when a change is listed or the compiler refuses the upgrade. */
  state: 'unchanged' | 'changed' | 'no-baseline' | 'not-compiled';
  /** Unchanged and without error-level findings: such a canister gets one line. */
  clean: boolean;
  changes: Change[];
  /** Motoko: the compiler's upgrade check (`moc --stable-compatible`) of the recorded signature against the current one. */
  verdict?: { compatible: boolean; messages: { code: string; severity: 'error' | 'warning'; message: string }[] };
  errors: FlatFinding[];
}

export interface UpgradeReport {
  version: 1;
  baseline: string;
  canisters: CanisterReport[];
}

type Parts = Omit<CanisterReport, 'state' | 'clean'>;

function settle(r: Parts, compared: boolean | 'not-compiled'): CanisterReport {
  const changed = r.changes.length > 0 || r.verdict?.compatible === false;
  const state = compared === 'not-compiled' ? compared : changed ? 'changed' : compared ? 'unchanged' : 'no-baseline';
  return { ...r, state, clean: state === 'unchanged' && r.errors.length === 0 };
}

/** What a canister was compared with: `git:REF` as asked for, else the file the baseline was read from. */
function label(spec: string, file: string, cwd: string): string {
  return spec.startsWith('git:') ? spec : path.relative(cwd, file);
}

function rustCanister(crate: CrateResult, cwd: string, spec: string): CanisterReport | undefined {
  const errors = flatten({ crates: [crate] }, cwd).filter((f) => f.severity === 'error');
  if (crate.crate.testCode || !crate.crate.manifest || (!crate.model.usesStableStructures && !crate.baseline && !errors.length)) return undefined;
  const old = crate.baseline;
  const base = {
    name: crate.crate.name,
    language: 'rust' as const,
    path: path.relative(cwd, crate.crate.root) || '.',
    baseline: old && label(spec, old.file, cwd),
    changes: old ? diffRustLocks(old.lock, buildRustLock(crate.model, old.lock)) : [],
    errors,
  };
  return settle(base, Boolean(old));
}

function motokoCanisters(p: MotokoProjectResult, cwd: string, spec: string): CanisterReport[] {
  const mains = canisterMains(p.project, p.results);
  const findings = flatten({ crates: [] }, cwd, [p]).filter((f) => f.severity === 'error');
  return mains.map(({ name, main }) => {
    const rel = path.relative(cwd, main);
    // With one canister every error of the project is its own; with several, those in its main file.
    const errors = mains.length === 1 ? findings : findings.filter((f) => f.file === rel);
    const upgrade = p.upgrades.get(main);
    const base = { name, language: 'motoko' as const, path: rel, changes: [] as Change[], errors };
    if (!upgrade) return settle(base, false);
    const baseline = label(spec, upgrade.baseline.file, cwd);
    const most = upgrade.signature ?? p.signatures.get(main)?.most;
    const actor = p.results.find((r) => r.file === main)?.model?.actors[0];
    if (!most) return settle({ ...base, baseline }, 'not-compiled');
    const current = buildMotokoCanister({ main, actor, most, flags: upgrade.flags });
    const c = upgrade.compatibility;
    // The compiler's messages span several indented lines: one line each reads better in a report.
    const messages = c?.diagnostics.map((d) => ({ ...d, message: d.message.replace(/\s+/g, ' ').trim() })) ?? [];
    const verdict = c && !c.error ? { compatible: !messages.some((d) => d.severity === 'error'), messages } : undefined;
    const report = { ...base, baseline, changes: diffMotokoCanisters(upgrade.baseline.entry, current), ...(verdict ? { verdict } : {}) };
    return settle(report, true);
  });
}

/** The upgrade report of everything `check` analysed: Rust canister crates first, then Motoko canisters. */
export function buildReport(result: ProjectResult, motoko: MotokoProjectResult[], cwd: string, baseline: string): UpgradeReport {
  const canisters = [...result.crates.flatMap((c) => rustCanister(c, cwd, baseline) ?? []), ...motoko.flatMap((p) => motokoCanisters(p, cwd, baseline))];
  return { version: 1, baseline, canisters };
}
