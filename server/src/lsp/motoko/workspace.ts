import { within, oversizedBuffer, type FileSystem } from '../../core/fileSystem';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeMotokoFile, type MotokoFileResult } from '../../check/motoko';
import { createMotokoCompiler } from '../../motoko/compiler/compiler';
import { type MotokoCompiler } from '../../motoko/compiler/api';
import { discoverMotokoProjects } from '../../motoko/project/discover';
import { persistenceMode } from '../../motoko/project/flags';
import { resolvePackages, type PackageResolution } from '../../motoko/project/packages';
import { toolchainNotes } from '../../motoko/project/toolchain';
import { externalImports } from '../../motoko/project/externalFiles';
import { canisterMains } from '../../check/motokoProject';
import { flagsFor, type MotokoProject } from '../../motoko/project/project';
import type { SignatureResult } from '../../motoko/compiler/protocol';
import type { StableLensSettings } from '../../protocol/requests';
import type { Finding } from '../../core/findings';
import { LineIndex } from '../../core/text';
import type { ActionableResult } from '../codeActions';
import type { DiagnosticsPublisher } from '../diagnostics';
import type { OpenDocuments } from '../documents';
import type { Logger } from '../log';
import { MotokoSignatures } from './signatures';
import { MotokoUpgrades } from './upgrades';
import { analysisConfig } from '../settings';

interface ProjectEntry {
  project: MotokoProject;
  compiler: MotokoCompiler;
  packages: PackageResolution;
  settings: StableLensSettings;
}

export interface MotokoDeps {
  docs: OpenDocuments;
  fs: FileSystem;
  folders(): readonly string[];
  settings(scopeUri: string): Promise<StableLensSettings>;
  publisher: DiagnosticsPublisher;
  log: Logger;
  workerScript: string;
  /** Milliseconds to coalesce keystrokes before a check. */
  delayMs?: number;
  /** Milliseconds edits to a project must pause before its signatures are compiled again. */
  signatureIdleMs?: number;
}

/**
 * The Motoko side of the server: projects, one compiler worker each (started on first use), and
 * the latest analysis of every file. It never blocks Rust analysis: checks run in the workers and
 * land here as they finish.
 */
export class MotokoWorkspace {
  private projects: MotokoProject[] | undefined;
  private readonly entries = new Map<string, Promise<ProjectEntry>>();
  private readonly results = new Map<string, MotokoFileResult>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly signatures: MotokoSignatures;

  readonly upgrades: MotokoUpgrades;

  constructor(private readonly deps: MotokoDeps) {
    this.upgrades = new MotokoUpgrades({
      fs: deps.fs,
      log: deps.log,
      warn: this.warn,
      entry: (p) => this.entry(p),
      signature: (m) => this.signature(m),
      current: (m, r) => this.signatures.current(m, r),
      recheck: (f) => void this.check(f),
    });
    this.signatures = new MotokoSignatures({
      log: deps.log,
      idleMs: deps.signatureIdleMs,
      compile: (p, m) => this.entry(p).then((e) => e.compiler.signature(m, flagsFor(p, m).args)),
      compiled: (p, m, r) => void this.upgrades.signed(p, m, r).catch((error) => this.deps.log.failure(`the upgrade check of ${m}`, error)),
      wanted: (p) => this.upgrades.withBaseline(p, this.mains(p), (f) => this.results.get(f)?.model),
    });
  }

  /** Finds the projects of the workspace folders and checks their files. Starts no worker without Motoko files. */
  async indexAll(): Promise<void> {
    this.discover();
    await Promise.all((this.projects ?? []).flatMap((p) => p.files.map((f) => this.check(f))));
    for (const p of this.projects ?? []) void this.upgrades.prime(p, this.mains(p), (f) => this.results.get(f)?.model);
  }

  /** A lockfile or a built `.most` changed (or was recorded): baselines are read again and main files checked. */
  baselinesChanged(): void {
    for (const main of this.upgrades.reset()) void this.check(main);
    for (const p of this.projects ?? []) void this.upgrades.prime(p, this.mains(p), (f) => this.results.get(f)?.model);
  }

  get hasProjects(): boolean {
    return (this.projects ?? []).length > 0;
  }

  /** A buffer changed: the compiler gets the text now, the check runs after a short pause, the signatures after a longer one. */
  fileChanged(file: string): void {
    const project = this.projectOf(file);
    if (!project) return;
    const { text, skipped } = this.openText(file);
    if (skipped) return this.publish(file, undefined);
    void this.entry(project).then((e) => e.compiler.update([{ path: file, text: text ?? null }]));
    this.markSignaturesStale(project);
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => void this.check(file), this.deps.delayMs ?? 100),
    );
  }

  /** A file changed on disk or its buffer closed: the compiler re-reads it; open files are checked again. */
  diskChanged(file: string): void {
    const project = this.projectOf(file);
    if (!project) return;
    // A deleted file leaves the project; a new one joined it in projectOf.
    if (!this.deps.docs.get(file) && !this.deps.fs.exists(file)) project.files = project.files.filter((f) => f !== file);
    const { text, skipped } = this.openText(file);
    if (!skipped) void this.entry(project).then((e) => e.compiler.update([{ path: file, text: text ?? null }]));
    this.markSignaturesStale(project);
    const open = this.deps.docs
      .all()
      .map((d) => d.path)
      .filter((p) => p.endsWith('.mo') && project.files.includes(p));
    for (const f of new Set([...(project.files.includes(file) ? [file] : []), ...open])) void this.check(f);
    if (!project.files.includes(file)) this.publish(file, undefined);
  }

  /** mops.toml, vessel.dhall, dfx.json or settings changed: everything is found and checked again. */
  layoutChanged(): void {
    for (const e of this.entries.values()) void e.then((x) => x.compiler.dispose());
    this.entries.clear();
    this.projects = undefined;
    this.signatures.clear();
    this.upgrades.reset();
    void this.indexAll();
  }

  /** A save: stable signatures of the project's canisters are compiled again in the background. */
  saved(file: string): void {
    const project = this.projectOf(file);
    if (project) for (const main of this.mains(project)) void this.signature(main);
  }

  /** The latest analysis of a file, after the pending check of its current text. */
  async resultFor(file: string): Promise<MotokoFileResult | undefined> {
    const timer = this.timers.get(file);
    if (timer) clearTimeout(timer);
    // A pending edit, or a file never checked yet (asked before the first index ends), is checked now.
    if (timer || (!this.results.has(file) && !this.inflight.has(file) && this.projectOf(file))) void this.check(file);
    await this.inflight.get(file);
    return this.results.get(file);
  }

  /** What code actions need: the file's findings and suppressions. */
  actionable(result: MotokoFileResult): ActionableResult {
    return {
      findings: result.findings,
      files: new Map([[result.file, { path: result.file, text: result.text, lines: result.lines, facts: { suppressions: result.suppressions } }]]),
    };
  }

  projectOf(file: string): MotokoProject | undefined {
    // Package sources are compiled as dependencies, never checked on their own.
    if (/[\\/]\.(mops|vessel)[\\/]/.test(file) || !file.endsWith('.mo')) return undefined;
    this.discover();
    const belongs = (p: MotokoProject) => p.files.includes(file) || (p.kind === 'loose' ? path.dirname(file) === p.root : within(file, p.root));
    const found = this.projects!.filter(belongs).sort((a, b) => b.root.length - a.root.length)[0];
    if (found) {
      if (!found.files.includes(file)) found.files.push(file);
      return found;
    }
    // A file outside the folders (or a new buffer) joins the project above it, or a loose one.
    const discovered = discoverMotokoProjects(this.deps.fs, [file], this.warn).projects[0];
    if (discovered) this.projects!.push(discovered);
    return discovered;
  }

  /** Every project with the canisters' main files, for the memory map. */
  allProjects(): MotokoProject[] {
    this.discover();
    return this.projects!;
  }

  mains(project: MotokoProject): string[] {
    return canisterMains(
      project,
      project.files.flatMap((f) => this.results.get(f) ?? []),
    ).map((c) => c.main);
  }

  /** A canister's stable signature, compiled now unless a fresh one is cached. Never run per keystroke. */
  signature(main: string): Promise<SignatureResult | undefined> {
    const project = this.projectOf(main);
    return project ? this.signatures.get(project, main) : Promise.resolve(undefined);
  }

  cachedSignature(main: string): SignatureResult | undefined {
    return this.signatures.cached(main);
  }

  async dispose(): Promise<void> {
    this.signatures.clear();
    for (const e of this.entries.values()) await (await e).compiler.dispose();
  }

  private readonly warn = (message: string) => this.deps.log.once(`warn:${message}`, `Stable Lens: ${message}`);

  private discover(): void {
    if (this.projects) return;
    const folders = this.deps.folders();
    this.projects = folders.length ? discoverMotokoProjects(this.deps.fs, [...folders], this.warn).projects : [];
  }

  /** A file's open buffer, if any; one past the size limit is skipped, with one message. */
  private openText(file: string): { text?: string; skipped: boolean } {
    const text = this.deps.docs.get(file)?.doc.getText();
    return text !== undefined && oversizedBuffer(file, text, this.warn) ? { skipped: true } : { text, skipped: false };
  }

  private markSignaturesStale(project: MotokoProject): void {
    this.signatures.edited(project);
    this.upgrades.markStale(project);
  }

  private entry(project: MotokoProject): Promise<ProjectEntry> {
    let found = this.entries.get(project.root);
    if (!found) {
      found = this.deps.settings(pathToFileURL(project.root).href).then((settings) => {
        const packages = resolvePackages(project, { runPackageTools: settings.motoko.runPackageTools, warn: this.warn });
        const compiler = createMotokoCompiler({ workerScript: this.deps.workerScript, log: (m) => this.deps.log.trace(m) });
        compiler.configure({
          root: project.root,
          files: [...project.files, ...externalImports(project.root, project.files)],
          packages: packages.packages,
          bundledCore: packages.bundledCore,
        });
        const buffers = this.deps.docs.all().filter((d) => project.files.includes(d.path));
        compiler.update(buffers.map((d) => ({ path: d.path, text: d.doc.getText() })));
        this.publishNotes(project, [...packages.notes, ...toolchainNotes(project.toolchain)]);
        return { project, compiler, packages, settings };
      });
      this.entries.set(project.root, found);
    }
    return found;
  }

  private check(file: string): Promise<void> {
    this.timers.delete(file);
    const run = this.runCheck(file).catch((error) => this.deps.log.failure(`checking ${file}`, error));
    this.inflight.set(file, run);
    void run.finally(() => this.inflight.get(file) === run && this.inflight.delete(file));
    return run;
  }

  private async runCheck(file: string): Promise<void> {
    const project = this.projectOf(file);
    if (!project) return;
    const entry = await this.entry(project);
    if (!entry.settings.enable) return this.publish(file, undefined);
    const open = this.openText(file);
    const text = open.skipped ? undefined : (open.text ?? this.deps.fs.readText(file, this.warn));
    if (text === undefined) return this.publish(file, undefined);
    const flags = flagsFor(project, file);
    const started = Date.now();
    const check = await entry.compiler.check(file, flags.args);
    const now = this.deps.docs.get(file)?.doc.getText() ?? text;
    // A newer edit is queued behind this check: its own check publishes.
    if (!check || now !== text) return;
    const upgrade = await this.upgrades.context(project, file, check.model);
    if ((this.deps.docs.get(file)?.doc.getText() ?? text) !== text) return;
    if (check.failure)
      this.deps.log.once(
        `motoko-failure:${project.root}`,
        `Stable Lens: the Motoko compiler could not check ${file} (${check.failure}); only the AST checks run`,
      );
    const result = analyzeMotokoFile({
      file,
      text,
      check,
      mode: persistenceMode(flags.args),
      config: analysisConfig(entry.settings),
      missingPackages: entry.packages.missing,
      upgrade,
      toolchain: project.toolchain,
      packageSource: project,
      onRuleError: (rule, e) => this.deps.log.failure(`rule ${rule.id} on ${file}`, e),
    });
    this.deps.log.trace(`Stable Lens: checked ${file} in ${Date.now() - started} ms (compiler ${check.ms} ms)`);
    this.publish(file, result);
  }

  /** Publishes a file's own findings, and the compiler findings it caused in files not checked on their own. */
  private publish(file: string, result: MotokoFileResult | undefined): void {
    const before = this.results.get(file);
    if (result) this.results.set(file, result);
    else this.results.delete(file);
    const targets = new Set([file, ...(before?.foreign.keys() ?? []), ...(result?.foreign.keys() ?? [])]);
    for (const target of targets) {
      const own = this.results.get(target);
      if (own) {
        const baseline = own.upgrade?.baseline;
        const files = new Map([[target, { lines: own.lines }], ...(baseline ? [[baseline.file, { lines: new LineIndex(baseline.text) }] as const] : [])]);
        this.deps.publisher.publishCrate(`motoko:${target}`, [target], { findings: own.findings, files });
        continue;
      }
      const reports = [...this.results.values()].flatMap((r) => (r.foreign.has(target) ? [r.foreign.get(target)!] : []));
      const findings = dedupe(reports.flatMap((r) => r.findings));
      const lines = new LineIndex(reports[0]?.text ?? '');
      this.deps.publisher.publishCrate(`motoko:${target}`, [target], findings.length ? { findings, files: new Map([[target, { lines }]]) } : undefined);
    }
  }

  /** Project notes sit on the files that declare what they are about (mops.toml, vessel.dhall, the toolchain pin). */
  private publishNotes(project: MotokoProject, notes: Finding[]): void {
    const declared = [project.mopsToml, project.vesselDependencies ? path.join(project.root, 'vessel.dhall') : undefined];
    const manifests = new Set([...declared, ...notes.map((n) => n.loc.file)].filter((f) => f !== undefined));
    for (const file of manifests) {
      const own = notes.filter((n) => n.loc.file === file);
      const text = own.length ? (this.deps.fs.readText(file, this.warn) ?? '') : '';
      this.deps.publisher.publishCrate(
        `motoko-notes:${project.root}:${file}`,
        [file],
        own.length ? { findings: own, files: new Map([[file, { lines: new LineIndex(text) }]]) } : undefined,
      );
    }
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.rule}:${f.loc.start}:${f.loc.end}:${f.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
