import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt } from './lsp/client';

const root = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// `--ignore-scripts` packs the bundles already built: the prepack build would rewrite dist/ under the other tests.
function npmRun(args: string[], cwd: string): string {
  return execFileSync(npm, [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'cache')], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // The outer `npm test` leaves its settings in the environment; the nested npm starts clean.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  });
}

describe('the packed CLI (npm pack, then npm install -g from the tarball, offline)', () => {
  let files: string[] = [];
  let bin = '';

  before(() => {
    ensureBuilt();
    const [packed] = JSON.parse(npmRun(['pack', '--json', '--pack-destination', tmp], root)) as { filename: string; files: { path: string }[] }[];
    files = packed.files.map((f) => f.path).sort();
    const prefix = path.join(tmp, 'prefix');
    npmRun(['install', '--global', '--offline', '--prefix', prefix, path.join(tmp, packed.filename)], tmp);
    bin = path.join(prefix, 'bin', 'stable-lens');
    fs.cpSync(path.join(root, 'examples'), path.join(tmp, 'work', 'examples'), { recursive: true });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('holds the bundles, the wasm files, the rule docs, README and LICENSE, and nothing else', () => {
    const rules = fs.readdirSync(path.join(root, 'docs', 'rules')).map((f) => `docs/rules/${f}`);
    const bundles = ['dist/cli.js', 'dist/motokoWorker.js', 'dist/server.js', 'dist/tree-sitter-rust.wasm', 'dist/web-tree-sitter.wasm'];
    assert.deepEqual(files, ['LICENSE', 'README.md', ...bundles, ...rules, 'package.json'].sort());
  });

  it('declares no runtime dependency: the bundles hold everything', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.dependencies, undefined);
    const installed = path.join(path.dirname(path.dirname(bin)), 'lib', 'node_modules', 'stable-lens');
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'cli.js')));
    assert.equal(fs.existsSync(path.join(installed, 'node_modules')), false);
  });

  it("runs check and map on a copy of examples/, printing the README's sample output", () => {
    const run = (args: string[]) => spawnSync(bin, args, { cwd: path.join(tmp, 'work'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const check = run(['check', 'examples']);
    const map = run(['map', 'examples']);
    assert.deepEqual([check.status, check.stderr, map.status, map.stderr], [1, '', 0, '']);
    // The Motoko lines come from the compiler in the packed worker.
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const sample = [...readme.matchAll(/```text\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).filter((l) => l.trim());
    assert.ok(sample.some((l) => l.includes('stable-signature-break')) && sample.some((l) => l.startsWith('guestbook (examples)')));
    const output = `${check.stdout}\n${map.stdout}`.split('\n');
    assert.deepEqual(
      sample.filter((l) => !output.includes(l)),
      [],
    );
    assert.match(run(['--version']).stdout, /^stable-lens \d+\.\d+\.\d+\n$/);
  });
});
