import type { MotokoProject } from '../../motoko/project/project';
import type { SignatureResult } from '../../motoko/compiler/protocol';
import type { Logger } from '../log';

/** How long edits to a project must pause before its signatures are compiled again. */
const SIGNATURE_IDLE_MS = 1500;

export interface SignatureDeps {
  log: Logger;
  /** Compiles a main file's signature with its project's compiler. */
  compile(project: MotokoProject, main: string): Promise<SignatureResult>;
  /** A compile ended: the upgrade check compares the result with the baseline. */
  compiled(project: MotokoProject, main: string, result: SignatureResult): void;
  /** The main files of a project whose verdict needs a signature (those with a baseline). */
  wanted(project: MotokoProject): Promise<string[]>;
  idleMs?: number;
}

interface Entry {
  result?: SignatureResult;
  stale: boolean;
  running?: Promise<SignatureResult>;
  /** An edit arrived while the compile ran: its result is already out of date. */
  edited: boolean;
  /** A pause asked for a compile while one ran: it starts when that one ends, if still needed. */
  again: boolean;
}

/**
 * Stable signatures of canister main files. A compile takes the compiler seconds, so it never runs
 * per keystroke: a signature is cached until the project's sources change, compiled again once the
 * edits pause, and at most one compile per main file runs, with at most one more waiting.
 */
export class MotokoSignatures {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: SignatureDeps) {}

  /** The main file's signature: the cached one while fresh, else the running or a new compile. */
  get(project: MotokoProject, main: string): Promise<SignatureResult> {
    const entry = this.entries.get(main) ?? { stale: true, edited: false, again: false };
    this.entries.set(main, entry);
    if (entry.result && !entry.stale) return Promise.resolve(entry.result);
    entry.running ??= this.compile(project, main, entry);
    return entry.running;
  }

  cached(main: string): SignatureResult | undefined {
    return this.entries.get(main)?.result;
  }

  /** Whether `result` is the main file's signature and no edit came since its compile started. */
  current(main: string, result: SignatureResult): boolean {
    const entry = this.entries.get(main);
    return entry?.result === result && !entry.stale;
  }

  /** A file of the project changed: its signatures are out of date, and compiled again after a pause. */
  edited(project: MotokoProject): void {
    for (const [main, entry] of this.entries) {
      if (!project.files.includes(main)) continue;
      entry.stale = true;
      if (entry.running) entry.edited = true;
    }
    clearTimeout(this.timers.get(project.root));
    const timer = setTimeout(() => {
      this.timers.delete(project.root);
      void this.deps.wanted(project).then(
        (mains) => mains.forEach((main) => this.refresh(project, main)),
        (error) => this.deps.log.failure(`compiling the signatures of ${project.root}`, error),
      );
    }, this.deps.idleMs ?? SIGNATURE_IDLE_MS);
    this.timers.set(project.root, timer);
  }

  /** Forgets every signature and pending pause (the projects are found again). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.entries.clear();
  }

  private refresh(project: MotokoProject, main: string): void {
    const entry = this.entries.get(main);
    if (entry?.running) entry.again = true;
    else this.background(project, main);
  }

  /** A compile nobody awaits: a failure is logged, never left as an unhandled rejection. */
  private background(project: MotokoProject, main: string): void {
    this.get(project, main).catch((error) => this.deps.log.failure(`compiling the stable signature of ${main}`, error));
  }

  private async compile(project: MotokoProject, main: string, entry: Entry): Promise<SignatureResult> {
    entry.edited = false;
    const started = Date.now();
    let result: SignatureResult;
    try {
      result = await this.deps.compile(project, main);
    } finally {
      entry.running = undefined;
    }
    entry.result = result;
    entry.stale = entry.edited;
    this.deps.log.trace(`Stable Lens: compiled the stable signature of ${main} in ${Date.now() - started} ms`);
    this.deps.compiled(project, main, result);
    const again = entry.again && entry.stale;
    entry.again = false;
    if (again) this.background(project, main);
    return result;
  }
}
