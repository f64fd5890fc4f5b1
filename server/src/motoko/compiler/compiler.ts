import * as fs from 'node:fs';
import { InProcessEngine, WorkerEngine } from './engines';
import type { MotokoCompiler } from './api';
import { QueuedCompiler } from './queue';

export interface CompilerOptions {
  /** The bundled worker (dist/motokoWorker.js); without it the compiler runs in this thread. */
  workerScript?: string;
  log?(message: string): void;
  /** Recycle after this many checks; a long session otherwise keeps every old scope alive. */
  maxJobs?: number;
}

/** The compiler for one project: in a worker thread when the bundle has one, else in this thread. */
export function createMotokoCompiler(options: CompilerOptions): MotokoCompiler {
  const script = options.workerScript && fs.existsSync(options.workerScript) ? options.workerScript : undefined;
  return new QueuedCompiler({
    start: () => (script ? new WorkerEngine(script, 4096) : new InProcessEngine()),
    timeoutMs: script ? 120_000 : undefined,
    maxHeapBytes: 1536 * 1024 * 1024,
    maxJobs: options.maxJobs ?? 400,
    idleMs: script ? 10 * 60_000 : undefined,
    log: options.log,
  });
}
