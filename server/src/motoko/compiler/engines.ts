import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { CompilerSession, type MotokoApi } from './session';

export type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Where a compiler runs: a worker thread, or the caller's thread (tests and a missing bundle). */
export interface Engine {
  send(request: Request): Promise<WorkerResponse>;
  terminate(): void;
}

/** A compiler in a worker thread. A crash or an exit rejects what is in flight. */
export class WorkerEngine implements Engine {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: WorkerResponse): void; reject(e: Error): void }>();
  private dead: Error | undefined;

  constructor(script: string, heapLimitMb: number) {
    this.worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: heapLimitMb } });
    this.worker.on('message', (r: WorkerResponse) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the Motoko compiler worker exited with code ${code}`)));
  }

  send(request: Request): Promise<WorkerResponse> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  terminate(): void {
    this.fail(new Error('the Motoko compiler was restarted'));
    void this.worker.terminate();
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }
}

/**
 * Loads a fresh copy of the `motoko` package: its compiler keeps flags in module state, so a new
 * instance is the only way to drop them in-process.
 */
function freshMotoko(): MotokoApi {
  for (const key of Object.keys(require.cache)) if (/[\\/]node_modules[\\/]motoko[\\/](lib|versions|index)/.test(key)) delete require.cache[key];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('motoko') as MotokoApi;
}

/** One loaded compiler shared by in-process engines: loading takes a second, so it is reused until flags clash. */
let shared: MotokoApi | undefined;

/** The compiler in the caller's thread: for tests, and for running from sources without a bundle. */
export class InProcessEngine implements Engine {
  private session: CompilerSession | undefined;
  private lastSetup: Extract<Request, { type: 'setup' }> | undefined;

  async send(request: Request): Promise<WorkerResponse> {
    await new Promise((resolve) => setImmediate(resolve));
    if ((request.type === 'check' || request.type === 'signature' || request.type === 'snapshot') && this.session && !this.session.accepts(request.flags)) {
      // Another project left sticky flags behind: load a fresh compiler and replay the set-up.
      shared = freshMotoko();
      this.session = undefined;
      if (this.lastSetup) await this.send(this.lastSetup);
    }
    if (request.type === 'setup') this.lastSetup = request;
    this.session ??= new CompilerSession((shared ??= freshMotoko()), () => require('motoko/packages/latest/core.json'));
    const heapUsed = getHeapStatistics().used_heap_size;
    switch (request.type) {
      case 'setup':
        this.session.setup(request.setup);
        return { id: 0, type: 'done', heapUsed };
      case 'update':
        this.session.update(request.files);
        return { id: 0, type: 'done', heapUsed };
      case 'check':
        return { id: 0, type: 'check', result: this.session.check(request.file, request.flags), heapUsed };
      case 'signature':
        return { id: 0, type: 'signature', result: this.session.signature(request.file, request.flags), heapUsed };
      case 'compatible':
        return { id: 0, type: 'compatible', result: this.session.compatible(request.pre, request.post), heapUsed };
      case 'snapshot':
        return { id: 0, type: 'snapshot', result: this.session.snapshot(request.main, request.files, request.flags), heapUsed };
    }
  }

  terminate(): void {
    this.session = undefined;
  }
}
