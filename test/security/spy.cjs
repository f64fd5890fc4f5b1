// Preloaded with NODE_OPTIONS=--require into the CLI and the language server (and their worker
// threads): records every process spawn, network connection and file write to SPY_LOG, one JSON
// line each, then lets the call go on. The tests assert that analysing a workspace records none.
'use strict';
const fs = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');

const LOG = process.env.SPY_LOG;
const append = fs.appendFileSync;

let busy = false;

function record(kind, args) {
  // The log's own append opens a file for writing: that must not record itself.
  if (!LOG || busy) return;
  busy = true;
  try {
    write(kind, args);
  } finally {
    busy = false;
  }
}

function write(kind, args) {
  const detail = args
    .map((a) => (typeof a === 'string' || typeof a === 'number' ? a : a && typeof a === 'object' && !Buffer.isBuffer(a) ? safeJson(a) : typeof a))
    .slice(0, 3);
  append(LOG, JSON.stringify({ kind, detail, pid: process.pid, thread: isMainThread ? 'main' : threadId }) + '\n');
}

function safeJson(o) {
  try {
    return JSON.parse(JSON.stringify(o, (k, v) => (k === 'env' ? '[env]' : v)));
  } catch {
    return '[object]';
  }
}

function wrap(owner, name, kind) {
  const original = owner && owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function spied(...args) {
    record(kind, [name, ...args]);
    return original.apply(this, args);
  };
}

const cp = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) wrap(cp, name, 'exec');

const net = require('node:net');
for (const name of ['connect', 'createConnection']) wrap(net, name, 'network');
wrap(net.Socket.prototype, 'connect', 'network');
for (const mod of ['node:http', 'node:https']) for (const name of ['request', 'get']) wrap(require(mod), name, 'network');
wrap(require('node:tls'), 'connect', 'network');
wrap(require('node:http2'), 'connect', 'network');
wrap(require('node:dgram'), 'createSocket', 'network');
const dns = require('node:dns');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) wrap(dns, name, 'network');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) wrap(dns.promises, name, 'network');
if (typeof globalThis.fetch === 'function') wrap(globalThis, 'fetch', 'network');

// Writes: every way the fs module changes the disk, sync, callback and promise forms.
const WRITES = [
  'writeFile',
  'appendFile',
  'mkdir',
  'mkdtemp',
  'rename',
  'rm',
  'rmdir',
  'unlink',
  'copyFile',
  'cp',
  'symlink',
  'link',
  'truncate',
  'chmod',
  'chown',
  'utimes',
  'createWriteStream',
];
for (const name of WRITES) {
  wrap(fs, name, 'write');
  wrap(fs, `${name}Sync`, 'write');
  wrap(fs.promises, name, 'write');
}
// Opening a file for writing counts too; reading does not.
for (const name of ['open', 'openSync']) {
  const original = fs[name];
  fs[name] = function spiedOpen(file, flags, ...rest) {
    if (typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0)
      record('write', [name, file, flags]);
    return original.call(this, file, flags, ...rest);
  };
}

record('preload', [process.argv[1] ?? '']);
