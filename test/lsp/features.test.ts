import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeCrate } from '../../server/src/check/rust';
import { sourceFile } from '../../server/src/rust/model/sourceFile';
import { codeActions, FIX_ALL_TITLE } from '../../server/src/lsp/codeActions';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { OpenDocuments } from '../../server/src/lsp/documents';
import { suppressEdit } from '../../server/src/lsp/edits';
import { Logger } from '../../server/src/lsp/log';
import { parseSettings } from '../../server/src/lsp/settings';
import { btreePageSize, vecSlotSize } from '../../server/src/lsp/storageFacts';
import { Uris } from '../../server/src/lsp/uris';
import { extractRustFacts } from '../../server/src/rust/model/extract';
import { initRustParser } from '../../server/src/rust/syntax/treeSitter';
import type { Finding } from '../../server/src/core/findings';
import { LineIndex } from '../../server/src/core/text';
import { ROOT } from './client';

const LIB = path.join(ROOT, 'test', 'fixtures', 'projects', 'lsp-canister', 'src', 'lib.rs');

function logger(lines: string[] = []): Logger {
  const push = (m: string) => lines.push(m);
  return new Logger({ error: push, warn: push, info: push, log: push });
}

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('incremental parsing of open documents', () => {
  before(() => initRustParser());

  it('gives the same facts as a fresh parse after every edit', () => {
    const docs = new OpenDocuments();
    const file = '/virtual/src/lib.rs';
    let text = fs.readFileSync(LIB, 'utf8');
    docs.open('file:///virtual/src/lib.rs', file, 'rust', 1, text);
    const rand = random(7);
    const snippets = ['', 'x', '\n', 'MemoryId::new(9)', '😀é', '}', '{\n    ', 'static A: RefCell<u64> = RefCell::new(0);\n', '// stable-lens-ignore a: b\n'];
    for (let version = 2; version < 120; version++) {
      const lines = new LineIndex(text);
      const a = Math.floor(rand() * text.length);
      const b = Math.min(text.length, a + Math.floor(rand() * 12));
      // Never split a surrogate pair: an editor would not either.
      const fix = (o: number) => (o > 0 && /[\uDC00-\uDFFF]/.test(text[o] ?? '') ? o - 1 : o);
      const [start, end] = [fix(a), fix(b)];
      const insert = snippets[Math.floor(rand() * snippets.length)];
      const range = { start: lines.position(start), end: lines.position(end) };
      assert.ok(docs.change(file, version, [{ range, text: insert }]));
      text = text.slice(0, start) + insert + text.slice(end);
      if (version % 3 !== 0) continue;
      // From the second batch on, the edits went into the kept tree, which is reparsed incrementally.
      if (version > 3) assert.equal(docs.get(file)!.edited, true);
      const incremental = docs.sourceFile(file)!;
      assert.equal(incremental.text, text);
      assert.deepEqual(incremental.facts, extractRustFacts(file, text), `facts differ after edit ${version}`);
    }
  });

  it("keeps a buffer's line index true to its text after later edits", () => {
    const docs = new OpenDocuments();
    const text = 'fn a() {}\nfn b() {}\nfn c() {}\n';
    docs.open('file:///l.rs', '/l.rs', 'rust', 1, text);
    const { lines } = docs.sourceFile('/l.rs')!;
    assert.deepEqual(lines.position(text.indexOf('fn c')), { line: 2, character: 0 });
    // Two lines go in above, in place in the document's own line offsets.
    docs.change('/l.rs', 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// one\n// two\n' }]);
    assert.deepEqual(lines.position(text.indexOf('fn c')), { line: 2, character: 0 });
    assert.equal(lines.offset({ line: 1, character: 3 }), text.indexOf('b()'));
    assert.deepEqual(docs.sourceFile('/l.rs')!.lines.position(text.indexOf('fn c') + 14), { line: 4, character: 0 });
  });

  it('ignores a change whose version is not newer', () => {
    const docs = new OpenDocuments();
    docs.open('file:///a.rs', '/a.rs', 'rust', 5, 'fn a() {}');
    assert.equal(docs.change('/a.rs', 5, [{ text: 'fn b() {}' }]), undefined);
    assert.equal(docs.get('/a.rs')!.doc.getText(), 'fn a() {}');
  });
});

describe('suppression edits', () => {
  before(() => initRustParser());

  it('inserts a comment above the line with its indentation', () => {
    const src = sourceFile('/a.rs', 'fn a() {\n    let x = 1;\n}\n');
    assert.deepEqual(suppressEdit(src, 'duplicate-memory-id', 1), {
      file: '/a.rs',
      start: 9,
      end: 9,
      newText: '    // stable-lens-ignore duplicate-memory-id: <reason>\n',
    });
  });

  it('adds the id to an ignore comment that already targets the line', () => {
    const text = 'fn a() {\n    // stable-lens-ignore reserved-memory-id: kept\n    let x = 1;\n}\n';
    const src = sourceFile('/a.rs', text);
    const edit = suppressEdit(src, 'duplicate-memory-id', 2)!;
    const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    assert.equal(after, 'fn a() {\n    // stable-lens-ignore reserved-memory-id, duplicate-memory-id: kept\n    let x = 1;\n}\n');
    assert.deepEqual(sourceFile('/a.rs', after).facts.suppressions[0].rules, ['reserved-memory-id', 'duplicate-memory-id']);
    assert.equal(suppressEdit(src, 'reserved-memory-id', 2), undefined, 'already named');
  });

  it('keeps CRLF line endings', () => {
    const src = sourceFile('/a.rs', 'fn a() {}\r\nfn b() {}\r\n');
    assert.equal(suppressEdit(src, 'x', 1)!.newText, '// stable-lens-ignore x: <reason>\r\n');
  });
});

describe('code actions', () => {
  before(() => initRustParser());

  it('orders fixes, suppress and docs, and fixes all safe non-overlapping problems', () => {
    const text = 'const A: u8 = 1;\nconst B: u8 = 2;\n';
    const src = sourceFile('/c/src/lib.rs', text);
    const result = analyzeCrate({ name: 'c', root: '/c', isCanister: true, files: ['/c/src/lib.rs'] }, [src], { rules: {} });
    const finding = (start: number, fixes: Finding['fixes']): Finding => ({
      rule: 'duplicate-memory-id',
      severity: 'error',
      message: `m${start}`,
      loc: { file: src.path, start, end: start + 1 },
      fixes,
    });
    const edit = (start: number, end: number, newText: string) => ({ file: src.path, start, end, newText });
    result.findings = [
      finding(6, [
        { title: 'Safe one', kind: 'safe', edits: [edit(14, 15, '3')] },
        { title: 'Risky one', kind: 'unsafe', edits: [edit(0, 5, 'static')] },
      ]),
      finding(23, [{ title: 'Overlapping', kind: 'safe', edits: [edit(14, 16, '4;')] }]),
      finding(24, [{ title: 'Second safe', kind: 'safe', edits: [edit(31, 32, '5')] }]),
    ];
    const uris = new Uris(new OpenDocuments());
    const diagnostic = toDiagnostic(result.findings[0], result, uris);
    const ctx = { lines: () => src.lines, toUri: (f: string) => `file://${f}`, version: () => null, documentChanges: false };
    const actions = codeActions(result, src.path, { diagnostics: [diagnostic] }, ctx);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Safe one', 'quickfix', true],
        ['Risky one', 'quickfix', false],
        ['Suppress duplicate-memory-id on this line', 'quickfix', false],
        ['Show documentation for duplicate-memory-id', 'quickfix', false],
        [FIX_ALL_TITLE, 'source.fixAll.stableLens', false],
      ],
    );
    const fixAll = actions.find((a) => a.title === FIX_ALL_TITLE)!.edit!.changes![`file://${src.path}`];
    assert.deepEqual(
      fixAll.map((e) => [src.lines.offset(e.range.start), src.lines.offset(e.range.end), e.newText]),
      [
        [14, 15, '3'],
        [31, 32, '5'],
      ],
    );
    const stale = { ...diagnostic, data: { ...(diagnostic.data as object), key: 'gone' } };
    assert.deepEqual(codeActions(result, src.path, { diagnostics: [stale], only: ['quickfix'] }, ctx), []);
    assert.deepEqual(
      codeActions(result, src.path, { diagnostics: [diagnostic], only: ['source'] }, ctx).map((a) => a.title),
      [FIX_ALL_TITLE],
    );
  });
});

describe('fix all', () => {
  before(() => initRustParser());

  it('uses the engine of the fixture suite: identical insertions of two fixes are made once, different ones at one point both', () => {
    const src = sourceFile('/d/src/lib.rs', 'fn a() {}\n');
    const result = analyzeCrate({ name: 'd', root: '/d', isCanister: true, files: ['/d/src/lib.rs'] }, [src], { rules: {} });
    const insert = (newText: string) => ({ file: src.path, start: 0, end: 0, newText });
    const finding = (start: number, newText: string): Finding => ({
      rule: 'reserved-memory-id',
      severity: 'error',
      message: `m${start}`,
      loc: { file: src.path, start, end: start + 1 },
      fixes: [{ title: 'Add', kind: 'safe', edits: [insert('use x;\n'), insert(newText)] }],
    });
    result.findings = [finding(3, 'const A: u8 = 1;\n'), finding(5, 'const B: u8 = 2;\n')];
    const ctx = { lines: () => src.lines, toUri: (f: string) => `file://${f}`, version: () => null, documentChanges: false };
    const [fixAll] = codeActions(result, src.path, { diagnostics: [], only: ['source'] }, ctx);
    assert.deepEqual(
      fixAll.edit!.changes![`file://${src.path}`].map((e) => e.newText),
      ['use x;\n', 'const A: u8 = 1;\n', 'const B: u8 = 2;\n'],
    );
  });
});

describe('settings, logging and storage facts', () => {
  it('reads nested and flat settings and ignores bad values', () => {
    const lines: string[] = [];
    const s = parseSettings(
      {
        enable: false,
        rules: { 'duplicate-memory-id': 'off', 'no-such-rule': 'error' },
        'rules.reserved-memory-id': 'hint',
        'inlayHints.enable': false,
        baseline: 'git:main',
        trace: { server: 'loud' },
      },
      logger(lines),
    );
    assert.deepEqual(s, {
      enable: false,
      rules: { 'duplicate-memory-id': 'off', 'reserved-memory-id': 'hint' },
      inlayHints: { enable: false },
      baseline: 'git:main',
      motoko: { runPackageTools: false, compilerDiagnostics: 'upgrade' },
      trace: { server: 'off' },
    });
    assert.equal(lines.length, 1);
    assert.equal(parseSettings({ baseline: 'svn:1' }, logger(lines)).baseline, 'lockfile');
    assert.match(lines[1], /stableLens\.baseline: baseline must be 'lockfile', 'dfx' or 'git:<ref>'/);
    assert.deepEqual(parseSettings(null, logger()).rules, {});
    assert.equal(parseSettings({ 'motoko.runPackageTools': true }, logger()).motoko.runPackageTools, true);
    assert.equal(parseSettings({ motoko: { compilerDiagnostics: 'all' } }, logger()).motoko.compilerDiagnostics, 'all');
    assert.equal(parseSettings({ motoko: { compilerDiagnostics: 'loud' } }, logger(lines)).motoko.compilerDiagnostics, 'upgrade');
    assert.match(lines[2], /compilerDiagnostics = "loud" is not upgrade, all or none/);
  });

  it('logs a failing feature once and answers its fallback', () => {
    const lines: string[] = [];
    const log = logger(lines);
    for (let i = 0; i < 3; i++)
      assert.equal(
        log.guard(
          'hover',
          () => {
            throw new Error('boom');
          },
          'fallback',
        ),
        'fallback',
      );
    assert.equal(lines.length, 1);
    assert.match(lines[0], /hover failed and was skipped: Error: boom/);
  });

  it('computes page and slot sizes as the library does', () => {
    const fixed = (n: number) => ({ kind: 'bounded' as const, maxSize: n, fixed: true, origin: '' });
    const bounded = (n: number) => ({ kind: 'bounded' as const, maxSize: n, fixed: false, origin: '' });
    assert.equal(btreePageSize(fixed(8), fixed(8)).bytes, 275);
    assert.equal(btreePageSize(bounded(32), bounded(128)).bytes, 1463);
    assert.equal(btreePageSize(fixed(8), { kind: 'unbounded', origin: '' }).bytes, 1024);
    assert.equal(btreePageSize(fixed(8), { kind: 'unknown', origin: '' }).bytes, undefined);
    assert.deepEqual(
      [fixed(8), bounded(255), bounded(256), bounded(65535), bounded(65536)].map((b) => vecSlotSize(b).bytes),
      [8, 256, 258, 65537, 65540],
    );
    assert.equal(vecSlotSize({ kind: 'unbounded', origin: '' }).bytes, undefined);
  });
});
