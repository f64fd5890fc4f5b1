import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { chooseFixes } from '../../server/src/core/fixEngine';
import { analyzePaths } from '../../server/src/check/rustProject';
import { analyzeMotokoFile } from '../../server/src/check/motoko';
import { MotokoText, type MoNode } from '../../server/src/motoko/model/ast';
import { extractMotokoModel } from '../../server/src/motoko/model/extract';
import type { PersistenceMode } from '../../server/src/motoko/model/model';
import { initRustParser, parseRust } from '../../server/src/rust/syntax/treeSitter';
import { fixesOf, type Finding } from '../../server/src/core/findings';
import { applyChecked, duplicateItems, offeredAgain } from './fixCheck';
import { actorSpec, crateSpec, renderActor, renderCrate, runs } from './generators';

/**
 * Every quick fix, on crates and actors generated with random combinations of the problems that
 * have fixes: the result parses, the same fix is not offered again where it was applied, and
 * nothing outside its edits changes.
 */

function firstError(text: string): string | undefined {
  const tree = parseRust(text);
  try {
    if (!tree.rootNode.hasError) return undefined;
    const bad = tree.rootNode.descendantsOfType(['ERROR']).find((n) => n !== null) ?? tree.rootNode;
    return `syntax error at ${bad.startPosition.row + 1}:${bad.startPosition.column + 1}: ${text.slice(bad.startIndex, bad.startIndex + 80)}`;
  } finally {
    tree.delete();
  }
}

describe('fuzz: Rust quick fixes on generated crates', () => {
  let dir: string;
  const lib = () => path.join(dir, 'src', 'lib.rs');
  const cargo = () => path.join(dir, 'Cargo.toml');

  before(async () => {
    await initRustParser();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-fuzzfix-')));
    fs.mkdirSync(path.join(dir, 'src'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function analyzeTexts(texts: ReadonlyMap<string, string>): Finding[] {
    for (const [file, text] of texts) fs.writeFileSync(file, text);
    const errors: string[] = [];
    const result = analyzePaths([dir], {
      config: { rules: {} },
      warn: () => undefined,
      onRuleError: (r, _c, e) => errors.push(`${r.id}: ${(e as Error).stack}`),
    });
    assert.deepEqual(errors, [], 'no rule throws');
    return result.crates.flatMap((c) => c.findings);
  }

  function checkParses(texts: ReadonlyMap<string, string>, what: string): void {
    const error = firstError(texts.get(lib())!);
    assert.equal(error, undefined, `${what}: src/lib.rs no longer parses\n${texts.get(lib())}`);
    assert.doesNotThrow(() => parseToml(texts.get(cargo())!), `${what}: Cargo.toml no longer parses`);
    assert.deepEqual(duplicateItems(texts.get(lib())!), [], `${what}: declares a name twice\n${texts.get(lib())}`);
  }

  it('each fix alone re-parses, sticks, and changes nothing outside its edits', () => {
    let offered = 0;
    const titles = new Set<string>();
    fc.assert(
      fc.property(crateSpec, (spec) => {
        const { lib: libText, cargo: cargoText, markers } = renderCrate(spec);
        const texts = new Map([
          [lib(), libText],
          [cargo(), cargoText],
        ]);
        assert.equal(firstError(libText), undefined, `the generated crate parses\n${libText}`);
        assert.deepEqual(duplicateItems(libText), [], 'the generated crate declares every name once');
        const findings = analyzeTexts(texts);
        for (const finding of findings) {
          for (const fix of fixesOf(finding)) {
            const what = `${finding.rule}: ${fix.title}`;
            offered++;
            titles.add(fix.title.replace(/`[^`]*`|\d+/g, '_'));
            const fixed = applyChecked(texts, fix.edits, markers, what);
            checkParses(fixed, what);
            const again = offeredAgain(finding, fix.title, fix.edits, analyzeTexts(fixed), fixesOf);
            assert.deepEqual(
              again.map((g) => g.message),
              [],
              `${what}: offered again after it was applied\n${fixed.get(lib())}`,
            );
          }
        }
      }),
      runs(60),
    );
    if (process.env.FUZZ_VERBOSE) console.log(offered, [...titles]);
    // The generator must keep reaching the fixes, or this test proves nothing.
    assert.ok(offered > 60, `only ${offered} fixes were offered`);
    assert.ok(titles.size >= 7, `only these fixes were reached: ${[...titles].join('; ')}`);
  });

  it('all fixes applied together (one round, no overlaps) re-parse and keep every comment', () => {
    fc.assert(
      fc.property(crateSpec, (spec) => {
        const { lib: libText, cargo: cargoText, markers } = renderCrate(spec);
        const texts = new Map([
          [lib(), libText],
          [cargo(), cargoText],
        ]);
        const chosen = chooseFixes(analyzeTexts(texts), () => true);
        const fixed = applyChecked(
          texts,
          chosen.flatMap((f) => f.edits),
          markers,
          'every fix at once',
        );
        checkParses(fixed, 'every fix at once');
      }),
      runs(40),
    );
  });
});

describe('fuzz: Motoko quick fixes on generated actors (AST rules and fallback, no compiler)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mo = require('motoko') as { parseMotoko(t: string, recovery: boolean): MoNode };
  const FILE = '/virtual/Main.mo';
  const modes: PersistenceMode[] = [
    { defaultPersistent: false, legacy: false },
    { defaultPersistent: true, legacy: false },
  ];

  function findings(text: string, mode: PersistenceMode): Finding[] {
    const model = extractMotokoModel(mo.parseMotoko(text, true), new MotokoText(FILE, text), mode);
    const errors: string[] = [];
    const check = { file: FILE, model, compiled: false, diagnostics: [], texts: {}, ms: 0 };
    const result = analyzeMotokoFile({
      file: FILE,
      text,
      check,
      mode,
      config: { rules: {} },
      onRuleError: (r, e) => errors.push(`${r.id}: ${(e as Error).stack}`),
    });
    assert.deepEqual(errors, []);
    return result.findings;
  }

  it('each fix alone re-parses without recovery and is not offered again', () => {
    let offered = 0;
    fc.assert(
      fc.property(actorSpec, fc.constantFrom(...modes), (spec, mode) => {
        const text = renderActor(spec);
        assert.doesNotThrow(() => mo.parseMotoko(text, false), `the generated actor parses\n${text}`);
        for (const finding of findings(text, mode)) {
          for (const fix of fixesOf(finding)) {
            const what = `${finding.rule}: ${fix.title}`;
            offered++;
            const fixed = applyChecked(new Map([[FILE, text]]), fix.edits, ['keep'], what).get(FILE)!;
            assert.doesNotThrow(() => mo.parseMotoko(fixed, false), `${what}: no longer parses\n${fixed}`);
            const again = offeredAgain(finding, fix.title, fix.edits, findings(fixed, mode), fixesOf);
            assert.deepEqual(
              again.map((g) => g.message),
              [],
              `${what}: offered again\n${fixed}`,
            );
          }
        }
      }),
      runs(80),
    );
    assert.ok(offered > 40, `only ${offered} fixes were offered`);
  });
});
