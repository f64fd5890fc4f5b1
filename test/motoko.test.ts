import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as os from 'node:os';
import { FileSystem } from '../server/src/core/fileSystem';
import { analyzeMotokoFile } from '../server/src/check/motoko';
import { createMotokoCompiler } from '../server/src/motoko/compiler/compiler';
import { MotokoText, type MoNode } from '../server/src/motoko/model/ast';
import { extractMotokoModel } from '../server/src/motoko/model/extract';
import { persistenceFallback } from '../server/src/motoko/analysis/fallback';
import { normalizeFlags, stickyKey } from '../server/src/motoko/project/flags';
import { resolvePackages } from '../server/src/motoko/project/packages';
import { flagsFor, readProject } from '../server/src/motoko/project/project';
import { stableVariables } from '../server/src/motoko/model/signature';
import { rules } from '../server/src/rules/registry';
import { FIXTURES } from './harness/fixtures';
import { listMotokoFiles, motokoProblems } from './harness/motoko';

/**
 * Compiler fixtures: one folder per compiler code that Stable Lens reports, fixes or stands in for
 * (M0218, M0219, M0220, M0131), and projects for flags, packages and the persistence fallback.
 * Every finding of every kind must be marked.
 */
const COMPILER_DIR = path.join(FIXTURES, 'compiler');

describe('Motoko compiler fixtures', () => {
  for (const group of fs.readdirSync(COMPILER_DIR).sort()) {
    const dir = path.join(COMPILER_DIR, group);
    const projectLike = ['mops.toml', 'dfx.json', 'vessel.dhall'].some((m) => fs.existsSync(path.join(dir, m)));
    const targets = projectLike
      ? [dir]
      : fs
          .readdirSync(dir)
          .filter((e) => e.endsWith('.mo') && !e.endsWith('.fixed.mo'))
          .map((e) => path.join(dir, e));
    for (const target of targets) {
      it(path.relative(COMPILER_DIR, target) || group, async () => {
        const { problems, errors } = await motokoProblems(target);
        assert.deepEqual(errors, [], 'no rule may throw');
        assert.deepEqual(problems, []);
      });
    }
  }
});

describe('Motoko projects, flags and packages', () => {
  const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-mo-')));

  it('reads mops.toml: moc args, canister args, dependencies with their lines', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'mops.toml'),
      '[dependencies]\ncore = "2.5.0"\nmap = "https://github.com/o/map#main@abc"\nlocal = "./vendor/local"\n\n[moc]\nargs = ["--default-persistent-actors", "-W=M0223", "--release"]\n\n[canisters.backend]\nmain = "src/main.mo"\nargs = ["--enhanced-migration=src/migrations"]\n',
    );
    const project = readProject(new FileSystem(), dir, () => undefined)!;
    assert.equal(project.kind, 'mops');
    assert.deepEqual(
      project.dependencies.map((d) => `${d.name}@${d.loc.start}`),
      ['core@15', 'map@30', 'local@72'],
    );
    const main = path.join(dir, 'src', 'main.mo');
    assert.deepEqual(flagsFor(project, main), {
      args: ['--default-persistent-actors', '-W', 'M0223', '--enhanced-migration', path.join(dir, 'src', 'migrations')],
      ignored: ['--release'],
    });
    // Other files take what every canister shares, so one compiler (one flag set) serves the project.
    assert.deepEqual(flagsFor(project, path.join(dir, 'src', 'Lib.mo')).args, flagsFor(project, main).args);
    assert.deepEqual(normalizeFlags([], dir).args, ['--require-persistent-actors']);
    assert.notEqual(stickyKey(['--legacy-actors', '-A', 'M0194']), stickyKey(['--legacy-actors']));
    assert.equal(stickyKey(['--legacy-actors']), stickyKey(['--default-persistent-actors']));
  });

  it('finds installed packages without running tools, and stands the bundled core in for a missing one', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'mops.toml'),
      '[dependencies]\ncore = "2.5.0"\nmap = "https://github.com/o/map#main@abc"\nvector = "0.4.2"\nbase = "0.14.0"\n',
    );
    fs.mkdirSync(path.join(dir, '.mops', '_github', 'map#main@abc', 'src'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.mops', 'vector@0.4.2', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.mops', 'vector@0.4.2', 'mops.toml'), '[package]\nname = "vector"\nbaseDir = "lib"\n');
    const project = readProject(new FileSystem(), dir, () => undefined)!;
    const found = resolvePackages(project, { runPackageTools: false, warn: () => undefined });
    assert.deepEqual(found.packages, [
      { name: 'map', dir: path.join(dir, '.mops', '_github', 'map#main@abc', 'src') },
      { name: 'vector', dir: path.join(dir, '.mops', 'vector@0.4.2', 'lib') },
    ]);
    assert.equal(found.bundledCore, true);
    assert.deepEqual([...found.missing], ['base']);
    assert.deepEqual(
      found.notes.map((n) => `${n.rule} ${n.severity} ${n.loc.start}`),
      // `base` is missing too, but no file imports it: that costs nothing, so it has no note.
      ['bundled-core info 15'],
    );
    const ran = resolvePackages(project, {
      runPackageTools: true,
      warn: () => undefined,
      exec: () => '--package core .mops/core@2.5.0/src\n--package map "x y/src"\n',
    });
    assert.deepEqual(ran.packages, [
      { name: 'core', dir: path.join(dir, '.mops/core@2.5.0/src') },
      { name: 'map', dir: path.join(dir, 'x y/src') },
    ]);
    assert.equal(ran.source, 'mops sources');
  });

  it('checks again from its scope cache, and drops a module from it when the module changes', async () => {
    const dir = tmp();
    const types = path.join(dir, 'Types.mo');
    const main = path.join(dir, 'main.mo');
    fs.writeFileSync(types, 'module { public type Id = Nat };\n');
    fs.writeFileSync(main, 'import T "Types";\npersistent actor {\n  var last : T.Id = 0;\n  public func set(i : Nat) : async () { last := i };\n};\n');
    const compiler = createMotokoCompiler({});
    compiler.configure({ root: dir, files: [main, types], packages: [], bundledCore: false });
    const flags = ['--require-persistent-actors'];
    try {
      assert.deepEqual((await compiler.check(main, flags))!.diagnostics, []);
      assert.deepEqual((await compiler.check(main, flags))!.diagnostics, [], 'warm');
      compiler.update([{ path: types, text: 'module { public type Id = Text };\n' }]);
      const after = await compiler.check(main, flags);
      assert.ok(
        after!.diagnostics.some((d) => d.code === 'M0096'),
        'the changed module is type-checked again',
      );
    } finally {
      await compiler.dispose();
    }
  });

  it('reads the stable variables of a .most signature, with migrations and without type hashes', () => {
    const most =
      '// Version: 3.0.0\ntype User__612838507 = {age : Nat; name : Text};\nactor ({in var a : Int}, {\n  stable var count : Nat;\n  stable users : [User__612838507];\n  stable var m : {var root : Node__98<Nat, {x : Nat; y : Text}>}\n});\n';
    assert.deepEqual(
      [...stableVariables(most)],
      [
        ['count', { kind: 'var', type: 'Nat' }],
        ['users', { kind: 'let', type: '[User]' }],
        ['m', { kind: 'var', type: '{var root : Node<Nat, {x : Nat; y : Text}>}' }],
      ],
    );
  });

  it('sends compiler diagnostics of an imported file to that file, without fixes', () => {
    const main = '/p/main.mo';
    const types = '/p/Types.mo';
    const check = {
      file: main,
      compiled: true,
      ms: 1,
      model: { file: main, actors: [], imports: [] },
      texts: { [types]: 'module { x }' },
      diagnostics: [{ loc: { file: types, start: 9, end: 10 }, severity: 'error' as const, code: 'M0057', message: 'unbound variable x' }],
    };
    const result = analyzeMotokoFile({
      file: main,
      text: 'import T "Types";',
      check,
      mode: { defaultPersistent: false, legacy: false },
      config: { rules: {} },
    });
    assert.deepEqual(result.findings, []);
    assert.deepEqual([...result.foreign.keys()], [types]);
    assert.deepEqual(
      result.foreign.get(types)!.findings.map((f) => `${f.rule} ${f.loc.start}-${f.loc.end} ${f.fixes?.length ?? 0}`),
      ['M0057 9-10 0'],
    );
  });
});

describe('robustness: Motoko extraction and rules never throw', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mo = require('motoko') as { parseMotoko(t: string, r: boolean): MoNode };

  function runAll(file: string, text: string): string[] {
    const errors: string[] = [];
    let ast: MoNode;
    try {
      ast = mo.parseMotoko(text, true);
    } catch {
      return errors;
    }
    for (const mode of [
      { defaultPersistent: false, legacy: false },
      { defaultPersistent: true, legacy: false },
      { defaultPersistent: false, legacy: true },
    ]) {
      const model = extractMotokoModel(ast, new MotokoText(file, text), mode);
      for (const rule of rules) {
        try {
          rule.checkMotoko?.({ file: model, text, mode, report: () => undefined });
        } catch (e) {
          errors.push(`${rule.id}: ${(e as Error).stack}`);
        }
      }
      persistenceFallback(model, mode);
    }
    return errors;
  }

  it('on truncated prefixes of every Motoko fixture (half-typed code)', () => {
    const files = [...listMotokoFiles(path.join(FIXTURES, 'rules')), ...listMotokoFiles(COMPILER_DIR)];
    assert.ok(files.length > 10);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const step = Math.max(1, Math.floor(text.length / 20));
      for (let cut = 0; cut <= text.length; cut += step) assert.deepEqual(runAll(f, text.slice(0, cut)), [], `${f} cut at ${cut}`);
    }
  });

  it('converts UTF-8 byte columns to UTF-16 offsets', () => {
    const text = 'let e = "héllo😀"; var x = 0;\n';
    const t = new MotokoText('/x.mo', text);
    assert.equal(t.offset(0, 22), text.indexOf('var'));
    assert.equal(t.offset(5, 0), text.length);
  });
});
