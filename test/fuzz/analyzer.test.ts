import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeCrate, type CrateResult } from '../../server/src/check/rust';
import { sourceFile, type SourceFile } from '../../server/src/rust/model/sourceFile';
import { applyEdits } from '../../server/src/core/fixEngine';
import { lockedVersions, readManifest } from '../../server/src/rust/project/cargo';
import { decodeText, FileSystem } from '../../server/src/core/fileSystem';
import { codeLenses } from '../../server/src/lsp/codeLens';
import { OpenDocuments } from '../../server/src/lsp/documents';
import { hoverAt } from '../../server/src/lsp/hover';
import { inlayHints } from '../../server/src/lsp/inlayHints';
import { motokoHover, motokoTargetAt } from '../../server/src/lsp/motoko/hover';
import { parseLock } from '../../server/src/lockfile/io';
import type { CrateInfo } from '../../server/src/rust/project/crate';
import { memoryMap } from '../../server/src/rust/analysis/memoryMap';
import { analyzeMotokoFile } from '../../server/src/check/motoko';
import { MotokoText, type MoNode } from '../../server/src/motoko/model/ast';
import { extractMotokoModel } from '../../server/src/motoko/model/extract';
import { readProject } from '../../server/src/motoko/project/project';
import { stableVariables } from '../../server/src/motoko/model/signature';
import { blocksOf, forgetNodes } from '../../server/src/rust/model/units';
import { initRustParser } from '../../server/src/rust/syntax/treeSitter';
import { fixesOf, type Finding } from '../../server/src/core/findings';
import { FIXTURES } from '../harness/fixtures';
import { fraction, mutatedMotoko, mutatedRust, mutatedSource, runs, rustFixtureTexts } from './generators';

/**
 * Mutated, truncated, binary and hostile sources through the pure analyzer and every feature the
 * server builds on it (fixes, hovers, hints, lenses, the memory map): nothing may throw.
 */

const FILE = '/virtual/fuzz/src/lib.rs';
const CRATE: CrateInfo = { name: 'fuzz', root: '/virtual/fuzz', isCanister: true, files: [FILE] };
const ratios = fc.array(fraction, { minLength: 4, maxLength: 4 });

function analyzeRust(source: SourceFile): CrateResult {
  const errors: string[] = [];
  const result = analyzeCrate(CRATE, [source], { rules: {} }, { onRuleError: (r, _c, e) => errors.push(`${r.id}: ${(e as Error).stack}`) });
  assert.deepEqual(errors, [], 'no rule throws');
  return result;
}

/** What the editor features do with a result, at the findings and at a few other offsets. */
function exerciseFeatures(result: CrateResult, text: string, offsets: number[]): void {
  for (const f of result.findings) {
    for (const fix of fixesOf(f)) {
      const own = fix.edits.filter((e) => e.file === FILE);
      assert.doesNotThrow(() => applyEdits(text, own), `${f.rule}: ${fix.title} has overlapping edits`);
    }
  }
  for (const offset of [...offsets, ...result.findings.map((f) => f.loc.start)]) hoverAt(result, FILE, offset, (f) => `file://${f}`);
  inlayHints(result, FILE, { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } });
  codeLenses(result, FILE, `file://${FILE}`);
  memoryMap([result], '/virtual');
}

const key = (f: Finding) => `${f.rule} ${f.loc.start}-${f.loc.end} ${f.message}`;

describe('fuzz: the Rust analyzer', () => {
  before(() => initRustParser());

  it('never throws on mutated, truncated and binary sources, nor do the features built on it', () => {
    fc.assert(
      fc.property(mutatedRust(), ratios, (text, rs) => {
        exerciseFeatures(
          analyzeRust(sourceFile(FILE, text)),
          text,
          rs.map((r) => Math.floor(r * (text.length + 1))),
        );
      }),
      runs(200),
    );
  });

  it('finds the same after incremental edits of an open buffer as after a fresh parse', () => {
    const edit = fc.record({
      start: fraction,
      length: fc.nat({ max: 40 }),
      text: fc.constantFrom(
        '',
        ' ',
        '\n',
        '{',
        '}',
        '255',
        'MemoryId::new(0)',
        '// x\n',
        'static X: Cell<u64> = Cell::new(0);',
        '😀',
        '\r\n',
        'thread_local! {',
      ),
    });
    fc.assert(
      fc.property(fc.constantFrom(...rustFixtureTexts()), fc.array(edit, { minLength: 1, maxLength: 12 }), (base, edits) => {
        const docs = new OpenDocuments();
        const doc = docs.open(`file://${FILE}`, FILE, 'rust', 1, base);
        docs.sourceFile(FILE);
        let version = 1;
        for (const e of edits) {
          const text = doc.doc.getText();
          const start = Math.floor(e.start * text.length);
          const range = { start: doc.doc.positionAt(start), end: doc.doc.positionAt(start + e.length) };
          docs.change(FILE, ++version, [{ range, text: e.text }]);
          // Analysing between edits keeps a tree and per-item facts to reuse, as the server does.
          if (version % 3 === 0) analyzeRust(docs.sourceFile(FILE)!);
        }
        const text = doc.doc.getText();
        const incremental = analyzeRust(docs.sourceFile(FILE)!).findings.map(key);
        const fresh = analyzeRust(sourceFile(FILE, text)).findings.map(key);
        assert.deepEqual(incremental, fresh, `after ${JSON.stringify(edits)}`);
        docs.close(FILE);
      }),
      runs(80),
    );
  });

  it('extracts the same facts from an edited buffer as from the same text parsed afresh', () => {
    // Edits come in batches, as one didChange or several between two analyses send them.
    const edit = fc.oneof(
      fc.record({
        start: fraction,
        length: fc.nat({ max: 60 }),
        text: fc.constantFrom(
          '',
          'x',
          '\n',
          '}',
          '{',
          '#[cfg(test)]\n',
          '#[derive(Debug)]\n',
          'mod m {\n',
          'use std::cell::Cell;\n',
          'type Memory = VirtualMemory<DefaultMemoryImpl>;\n',
          'fn f() {}\n',
          'const A: MemoryId = MemoryId::new(3);\n',
          '/* 😀 */',
          '/*',
          '"',
        ),
      }),
      // A replacement of the same length moves nothing: only the edited span tells the cache.
      fc.record({ start: fraction, length: fc.constant(1), text: fc.constantFrom('7', 'x', ' ', 'é') }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...rustFixtureTexts()),
        fc.array(fc.array(edit, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (base, batches, seed) => {
          const docs = new OpenDocuments();
          const doc = docs.open(`file://${FILE}`, FILE, 'rust', 1, base);
          docs.sourceFile(FILE);
          let version = 1;
          batches.forEach((batch, i) => {
            // Each change's range is read against the text the changes before it left.
            const scratch = TextDocument.create(doc.uri, 'rust', 0, doc.doc.getText());
            const changes = batch.map((e) => {
              const text = scratch.getText();
              const start = Math.floor(e.start * text.length);
              const range = { start: scratch.positionAt(start), end: scratch.positionAt(start + e.length) };
              TextDocument.update(scratch, [{ range, text: e.text }], scratch.version + 1);
              return { range, text: e.text };
            });
            docs.change(FILE, ++version, changes);
            if ((i + seed) % 2 === 0) docs.sourceFile(FILE);
          });
          const incremental = docs.sourceFile(FILE)!;
          const fresh = sourceFile(FILE, incremental.text);
          assert.deepEqual(JSON.parse(JSON.stringify(incremental.facts)), JSON.parse(JSON.stringify(fresh.facts)), `after ${JSON.stringify(batches)}`);
          // The items, read again only where the edits were, are those of the whole new tree. The
          // buffer's own tree is the reference: around an unclosed comment, tree-sitter's error
          // recovery may build a reused tree other than a fresh parse of the same text.
          const tree = docs.get(FILE)!.tree!;
          const blocks = blocksOf(tree.rootNode, incremental.text);
          forgetNodes(blocks);
          assert.deepEqual(docs.get(FILE)!.units!.blocks, blocks);
          docs.close(FILE);
        },
      ),
      runs(80),
    );
  });

  it('reads hostile Cargo.toml, Cargo.lock and stable-layout.lock.json without throwing', () => {
    const bases = ['Cargo.toml', 'Cargo.lock', 'stable-layout.lock.json'].map((name) =>
      fs
        .readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
        .filter((f) => path.basename(f) === name)
        .map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8')),
    );
    const manifests = mutatedSource(
      [...bases[0], '[package]\nname = 1\n[dependencies]\nic-stable-structures = { workspace = true }\n'],
      ['[', ']', '=', '"', '{', '}', '[workspace]', 'ic-stable-structures', '0.6'],
    );
    const locks = mutatedSource(bases[1], ['[[package]]', 'name = "ic-stable-structures"', 'version = ', '"']);
    const layouts = mutatedSource(bases[2], ['{', '}', '[', ']', '"memoryIds"', '"version": 99', 'null', ':', ',', '1e309']);
    fc.assert(
      fc.property(manifests, locks, layouts, (manifest, lock, layout) => {
        const vfs = new FileSystem();
        vfs.setOverlay('/virtual/Cargo.toml', manifest);
        vfs.setOverlay('/virtual/Cargo.lock', lock);
        readManifest(vfs, '/virtual/Cargo.toml', () => undefined);
        lockedVersions(vfs, '/virtual/Cargo.lock', () => undefined);
        parseLock('/virtual/stable-layout.lock.json', layout);
      }),
      runs(150),
    );
  });

  it('decodes any bytes as text or skips them with a warning, never throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.string({ unit: 'grapheme', maxLength: 200 }), (bytes, valid) => {
        decodeText('/x.rs', bytes, () => undefined);
        assert.equal(
          decodeText('/x.rs', Buffer.from(valid.replace(/\0/g, ''), 'utf8'), () => assert.fail('valid UTF-8 is read')),
          valid.replace(/\0/g, '').replace(/^\ufeff/, ''),
        );
      }),
      runs(300),
    );
  });
});

describe('fuzz: the Motoko AST path (rules, fallback and hovers, without the compiler)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mo = require('motoko') as { parseMotoko(t: string, recovery: boolean): MoNode };
  const MO = '/virtual/fuzz/Main.mo';

  it('never throws on mutated, truncated and binary sources', async () => {
    const samples = fc.sample(fc.tuple(mutatedMotoko(), ratios), runs(150));
    for (const [text, rs] of samples) {
      for (const mode of [
        { defaultPersistent: false, legacy: false },
        { defaultPersistent: true, legacy: false },
        { defaultPersistent: false, legacy: true },
      ]) {
        // As the compiler worker does: a file that does not parse even with recovery gets an empty model.
        let model;
        try {
          model = extractMotokoModel(mo.parseMotoko(text, true), new MotokoText(MO, text), mode);
        } catch (error) {
          model = { file: MO, actors: [], imports: [], parseError: String(error) };
        }
        const errors: string[] = [];
        const check = { file: MO, model, compiled: false, diagnostics: [], texts: {}, ms: 0 };
        const result = analyzeMotokoFile({
          file: MO,
          text,
          check,
          mode,
          config: { rules: {} },
          onRuleError: (r, e) => errors.push(`${r.id}: ${(e as Error).stack}`),
        });
        assert.deepEqual(errors, [], 'no rule throws');
        for (const f of result.findings) for (const fix of fixesOf(f)) applyEdits(text, fix.edits);
        for (const offset of [...rs.map((r) => Math.floor(r * (text.length + 1))), ...result.findings.map((f) => f.loc.start)]) {
          const target = motokoTargetAt(result, offset);
          if (target) await motokoHover(result, target, mode, async () => undefined);
        }
      }
    }
  });

  it('reads hostile mops.toml, dfx.json and .most signatures without throwing', () => {
    const manifests = mutatedSource(
      [
        '[dependencies]\ncore = "2.5.0"\nmap = "https://github.com/o/map#main@abc"\n\n[moc]\nargs = ["--default-persistent-actors"]\n\n[canisters.backend]\nmain = "src/main.mo"\nargs = ["--enhanced-migration=m"]\n',
      ],
      ['[', ']', '=', '"', '[moc]', 'args', '[canisters.x]', 'main = 1'],
    );
    const dfx = mutatedSource(
      ['{"canisters":{"a":{"type":"motoko","main":"src/a.mo","args":"--x"}},"defaults":{"build":{"packtool":"mops sources","args":""}}}'],
      ['{', '}', '[', ']', '"main"', 'null', ':', ',', '"type":"motoko"'],
    );
    const most = mutatedSource(
      ['// Version: 3.0.0\ntype User__1 = {age : Nat};\nactor ({in var a : Int}, {\n  stable var count : Nat;\n  stable users : [User__1]\n});\n'],
      ['actor', '{', '}', '(', ')', ';', 'stable', 'var', ':', '__9'],
    );
    fc.assert(
      fc.property(manifests, dfx, most, (mops, dfxJson, signature) => {
        const vfs = new FileSystem();
        vfs.setOverlay('/virtual/mo/mops.toml', mops);
        vfs.setOverlay('/virtual/mo/dfx.json', dfxJson);
        readProject(vfs, '/virtual/mo', () => undefined);
        stableVariables(signature);
      }),
      runs(150),
    );
  });
});
