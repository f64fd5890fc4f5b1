// The Motoko compiler worker: loads the `motoko` package once and answers one request at a time.
// It runs in a worker thread so that the compiler never blocks the language server or Rust analysis.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { CompilerSession, type MotokoApi } from './session';

function load(): CompilerSession {
  // Required lazily so the bundle's start-up cost is paid inside the worker only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mo = require('motoko') as MotokoApi;
  return new CompilerSession(mo, () => require('motoko/packages/latest/core.json'));
}

/**
 * Compiling is background work: on Linux, where a thread has its own nice value, this thread gets a
 * lower priority, so on a busy machine the main thread's Rust analysis and replies get the CPU first.
 */
function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    if (tid > 0) os.setPriority(tid, 10);
  } catch {
    // Without /proc or the right to renice, the compiler runs at the normal priority.
  }
}

lowerPriority();

let session: CompilerSession | undefined;

function answer(request: WorkerRequest): WorkerResponse {
  session ??= load();
  const heapUsed = () => getHeapStatistics().used_heap_size;
  switch (request.type) {
    case 'setup':
      session.setup(request.setup);
      return { id: request.id, type: 'done', heapUsed: heapUsed() };
    case 'update':
      session.update(request.files);
      return { id: request.id, type: 'done', heapUsed: heapUsed() };
    case 'check':
      return { id: request.id, type: 'check', result: session.check(request.file, request.flags), heapUsed: heapUsed() };
    case 'signature':
      return { id: request.id, type: 'signature', result: session.signature(request.file, request.flags), heapUsed: heapUsed() };
    case 'compatible':
      return { id: request.id, type: 'compatible', result: session.compatible(request.pre, request.post), heapUsed: heapUsed() };
    case 'snapshot':
      return { id: request.id, type: 'snapshot', result: session.snapshot(request.main, request.files, request.flags), heapUsed: heapUsed() };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = answer(request);
  } catch (error) {
    // The compiler's own exceptions carry OCaml values; only their message is useful.
    const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error)?.slice(0, 500);
    response = { id: request.id, type: 'error', message: message ?? 'unknown error', heapUsed: getHeapStatistics().used_heap_size };
  }
  parentPort!.postMessage(response);
});
