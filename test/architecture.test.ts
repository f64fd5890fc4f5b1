import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cycles, importGraph, type FileImports } from './harness/imports';

const ROOT = path.join(__dirname, '..');
const SERVER = path.join(ROOT, 'server', 'src');
const CLIENT = path.join(ROOT, 'client', 'src');

/**
 * The layers of server/src, bottom first (ARCHITECTURE.md explains each). A file imports its own
 * folder's files and those of lower layers; folders that share a layer never import each other.
 * The two entry points (lsp/server.ts, cli/main.ts) sit in their layer's folder.
 */
const LAYERS: string[][] = [['core'], ['protocol'], ['rust', 'motoko'], ['lockfile'], ['rules'], ['check'], ['lsp', 'cli']];

/** Packages that only some layers may use: the LSP libraries belong to the server, and rules read no files. */
const PACKAGE_RULES: { packages: string[]; only: string[] }[] = [
  { packages: ['vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-languageserver-protocol'], only: ['lsp'] },
  { packages: ['node:fs', 'fs', 'node:child_process', 'child_process'], only: ['core', 'rust', 'motoko', 'lockfile', 'check', 'lsp', 'cli'] },
];

function folderOf(file: string): string | undefined {
  const rel = path.relative(SERVER, file);
  return rel.startsWith('..') ? undefined : rel.split(path.sep)[0];
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((l) => l.includes(folder));
}

/** Every import that breaks the layering, as `from -> to` with the reason. */
export function violations(graph: Map<string, FileImports>): string[] {
  const out: string[] = [];
  const rel = (f: string) => path.relative(ROOT, f);
  for (const [file, { files, packages }] of graph) {
    if (file.startsWith(CLIENT + path.sep)) {
      for (const to of files) {
        const inClient = to.startsWith(CLIENT + path.sep);
        if (!inClient && folderOf(to) !== 'protocol') out.push(`${rel(file)} -> ${rel(to)}: the client imports only the protocol types`);
      }
      continue;
    }
    const from = folderOf(file);
    if (!from) continue;
    const fromLayer = layerOf(from);
    if (fromLayer < 0) {
      out.push(`${rel(file)}: server/src/${from} is in no layer`);
      continue;
    }
    for (const to of files) {
      const target = folderOf(to);
      if (!target) {
        out.push(`${rel(file)} -> ${rel(to)}: the server imports nothing outside server/src`);
        continue;
      }
      if (target === from) continue;
      const toLayer = layerOf(target);
      if (toLayer > fromLayer) out.push(`${rel(file)} -> ${rel(to)}: ${from} may not import the higher layer ${target}`);
      else if (toLayer === fromLayer) out.push(`${rel(file)} -> ${rel(to)}: ${from} and ${target} share a layer and never import each other`);
    }
    for (const rule of PACKAGE_RULES) {
      for (const p of packages)
        if (rule.packages.includes(p) && !rule.only.includes(from)) out.push(`${rel(file)} -> ${p}: only ${rule.only.join(', ')} may import it`);
    }
  }
  return out;
}

describe('architecture', () => {
  const graph = importGraph([SERVER, CLIENT]);

  it('imports go only down the layers, the two languages never import each other, and the client imports only the protocol', () => {
    assert.deepEqual(violations(graph), []);
  });

  it('has no import cycle, type imports included', () => {
    assert.deepEqual(
      cycles(graph).map((c) => c.map((f) => path.relative(ROOT, f))),
      [],
    );
  });

  it('catches an upward import, an import between the languages, a client import of the server, and a cycle', () => {
    const file = (p: string) => path.join(SERVER, p);
    const fake = new Map<string, FileImports>([
      [file('core/text.ts'), { files: [file('rules/api.ts')], packages: [] }],
      [file('rust/model/facts.ts'), { files: [file('motoko/model/model.ts')], packages: [] }],
      [file('rules/api.ts'), { files: [], packages: ['node:fs'] }],
      [path.join(CLIENT, 'extension.ts'), { files: [file('core/text.ts')], packages: [] }],
    ]);
    assert.deepEqual(
      violations(fake).map((v) => v.split(': ')[1]),
      [
        'core may not import the higher layer rules',
        'rust and motoko share a layer and never import each other',
        'only core, rust, motoko, lockfile, check, lsp, cli may import it',
        'the client imports only the protocol types',
      ],
    );
    const a = file('core/a.ts');
    const b = file('core/b.ts');
    assert.deepEqual(
      cycles(
        new Map([
          [a, { files: [b] }],
          [b, { files: [a] }],
        ]),
      ),
      [[a, b]],
    );
  });
});
