import type { CompilerStats, MotokoCompiler } from './api';
import type { Engine, Request } from './engines';
import { stickyKey } from '../project/flags';
import {
  failedCheck,
  type CheckResult,
  type CompatibilityResult,
  type CompilerSetup,
  type SignatureResult,
  type SnapshotResult,
  type WorkerResponse,
} from './protocol';

export interface QueueOptions {
  /** Starts an engine; called lazily and again after every restart. */
  start(): Engine;
  /** A request that takes longer kills the compiler (only a worker can be interrupted). */
  timeoutMs?: number;
  /** The compiler is recreated once its heap passes this many bytes… */
  maxHeapBytes?: number;
  /** …or once it answered this many checks (a signature counts as ten). */
  maxJobs?: number;
  /** An idle compiler is stopped after this long, to give its memory back. */
  idleMs?: number;
  log?(message: string): void;
}

type Job =
  | { kind: 'check'; file: string; flags: string[]; done: ((r: CheckResult | undefined) => void)[] }
  | { kind: 'signature'; file: string; flags: string[]; done: ((r: SignatureResult) => void)[] }
  /** Any other request; without flags it runs under whatever flags the compiler has. */
  | { kind: 'task'; file: string; flags?: string[]; request: Request; cost: number; done: ((r: WorkerResponse | Error) => void)[] };

const failure = (r: WorkerResponse | Error) => (r instanceof Error ? r.message : r.type === 'error' ? r.message : 'unexpected answer');

/**
 * Runs one compiler's requests one at a time. It replays the project set-up and the open buffers
 * after every (re)start, recreates the compiler when a request needs other sticky flags, and
 * recycles it when it grew too big, hung, or crashed.
 */
export class QueuedCompiler implements MotokoCompiler {
  readonly stats: CompilerStats = { checks: 0, signatures: 0, starts: 0, heapUsed: 0 };
  private engine: Engine | undefined;
  private setup: CompilerSetup | undefined;
  private readonly buffers = new Map<string, string>();
  private pendingUpdates: { path: string; text: string | null }[] = [];
  private configured = false;
  private applied: string | undefined;
  private jobs = 0;
  private readonly queue: Job[] = [];
  private running = false;
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly options: QueueOptions) {}

  configure(setup: CompilerSetup): void {
    this.setup = setup;
    this.configured = false;
    this.pendingUpdates = [];
  }

  update(changes: { path: string; text: string | null }[]): void {
    for (const c of changes) {
      if (c.text === null) this.buffers.delete(c.path);
      else this.buffers.set(c.path, c.text);
    }
    this.pendingUpdates.push(...changes);
  }

  check(file: string, flags: string[]): Promise<CheckResult | undefined> {
    return new Promise((resolve) => {
      const queued = this.queue.find((j): j is Extract<Job, { kind: 'check' }> => j.kind === 'check' && j.file === file);
      if (queued) {
        // The queued check would look at text that is already out of date: it answers the newest request only.
        for (const d of queued.done.splice(0)) d(undefined);
        queued.flags = flags;
        queued.done.push(resolve);
      } else this.queue.push({ kind: 'check', file, flags, done: [resolve] });
      void this.pump();
    });
  }

  signature(file: string, flags: string[]): Promise<SignatureResult> {
    return new Promise((resolve) => {
      const queued = this.queue.find((j): j is Extract<Job, { kind: 'signature' }> => j.kind === 'signature' && j.file === file);
      if (queued) queued.done.push(resolve);
      else this.queue.push({ kind: 'signature', file, flags, done: [resolve] });
      void this.pump();
    });
  }

  compatible(pre: string, post: string): Promise<CompatibilityResult> {
    return this.task({ type: 'compatible', pre, post }, 'stable compatibility', undefined, 0).then((r) =>
      !(r instanceof Error) && r.type === 'compatible' ? r.result : { diagnostics: [], error: failure(r), ms: 0 },
    );
  }

  snapshot(main: string, files: { path: string; text: string }[], flags: string[]): Promise<SnapshotResult> {
    return this.task({ type: 'snapshot', main, files, flags }, main, flags, 10).then((r) =>
      !(r instanceof Error) && r.type === 'snapshot' ? r.result : { signature: { file: main, error: failure(r), ms: 0 } },
    );
  }

  private task(request: Request, file: string, flags: string[] | undefined, cost: number): Promise<WorkerResponse | Error> {
    return new Promise((resolve) => {
      this.queue.push({ kind: 'task', file, flags, request, cost, done: [resolve] });
      void this.pump();
    });
  }

  restart(): void {
    this.engine?.terminate();
    this.engine = undefined;
    this.configured = false;
    this.applied = undefined;
    this.jobs = 0;
  }

  async dispose(): Promise<void> {
    this.restart();
    if (this.idle) clearTimeout(this.idle);
    for (const job of this.queue.splice(0)) {
      if (job.kind === 'check') job.done.forEach((d) => d(undefined));
      else if (job.kind === 'task') job.done.forEach((d) => d(new Error('the compiler was stopped')));
      else job.done.forEach((d) => d({ file: job.file, error: 'the compiler was stopped', ms: 0 }));
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.idle) clearTimeout(this.idle);
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) await this.run(job);
    } finally {
      this.running = false;
      if (this.options.idleMs && this.engine) {
        this.idle = setTimeout(() => this.queue.length === 0 && !this.running && this.restart(), this.options.idleMs);
        this.idle.unref();
      }
    }
  }

  private async run(job: Job): Promise<void> {
    const sticky = job.flags && stickyKey(job.flags);
    if (sticky !== undefined && this.engine && this.applied !== undefined && this.applied !== sticky) {
      this.options.log?.(`Stable Lens: restarting the Motoko compiler for other flags (${job.flags!.join(' ')})`);
      this.restart();
    }
    try {
      await this.prepare();
      if (sticky !== undefined) this.applied = sticky;
      if (job.kind === 'task') {
        const answer = await this.send(job.request);
        this.jobs += job.cost;
        job.done.forEach((d) => d(answer));
        this.recycleIfNeeded(answer.heapUsed);
        return;
      }
      const response = await this.send(
        job.kind === 'check' ? { type: 'check', file: job.file, flags: job.flags } : { type: 'signature', file: job.file, flags: job.flags },
      );
      if (job.kind === 'check') {
        this.stats.checks++;
        this.jobs++;
        const result = response.type === 'check' ? response.result : failedCheck(job.file, response.type === 'error' ? response.message : 'unexpected answer');
        job.done.forEach((d) => d(result));
      } else {
        this.stats.signatures++;
        this.jobs += 10;
        const result =
          response.type === 'signature'
            ? response.result
            : { file: job.file, error: response.type === 'error' ? response.message : 'unexpected answer', ms: 0 };
        job.done.forEach((d) => d(result));
      }
      this.recycleIfNeeded(response.heapUsed);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.(`Stable Lens: the Motoko compiler failed on ${job.file}: ${message}`);
      this.restart();
      if (job.kind === 'check') job.done.forEach((d) => d(failedCheck(job.file, message)));
      else if (job.kind === 'task') job.done.forEach((d) => d(new Error(message)));
      else job.done.forEach((d) => d({ file: job.file, error: message, ms: 0 }));
    }
  }

  /** Starts the compiler when needed and brings it up to date with the project and the buffers. */
  private async prepare(): Promise<void> {
    if (!this.engine) {
      this.engine = this.options.start();
      this.stats.starts++;
      this.configured = false;
    }
    if (!this.configured && this.setup) {
      await this.send({ type: 'setup', setup: this.setup });
      this.configured = true;
      this.pendingUpdates = [...this.buffers].map(([path, text]) => ({ path, text }));
    }
    if (this.pendingUpdates.length) {
      const files = this.pendingUpdates;
      this.pendingUpdates = [];
      await this.send({ type: 'update', files });
    }
  }

  private async send(request: Request): Promise<WorkerResponse> {
    const engine = this.engine!;
    const timeoutMs = this.options.timeoutMs;
    if (!timeoutMs) return engine.send(request);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([engine.send(request), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private recycleIfNeeded(heapUsed: number): void {
    this.stats.heapUsed = heapUsed;
    const { maxHeapBytes, maxJobs } = this.options;
    if ((maxHeapBytes && heapUsed > maxHeapBytes) || (maxJobs && this.jobs >= maxJobs)) {
      this.options.log?.(`Stable Lens: recycling the Motoko compiler (${Math.round(heapUsed / 1048576)} MiB heap, ${this.jobs} jobs)`);
      this.restart();
    }
  }
}
