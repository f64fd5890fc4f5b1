import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { formatGithub } from '../server/src/cli/formatGithub';
import type { FlatFinding } from '../server/src/cli/findings';
import { ensureBuilt } from './lsp/client';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

// The workflow-command grammar the Actions runner reads: `::name key=value,key=value::message`.
const COMMAND = /^::(error|warning|notice) ((?:[A-Za-z]+=[^,:\r\n]*)(?:,[A-Za-z]+=[^,:\r\n]*)*)::([^\r\n]*)$/;
const PROPS = ['file', 'line', 'col', 'endLine', 'endColumn', 'title'];

const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** Reads one annotation back as the runner does, or fails when a line breaks the grammar. */
function parse(line: string) {
  const m = COMMAND.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const props = Object.fromEntries(m[2].split(',').map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
  assert.deepEqual(Object.keys(props), PROPS);
  for (const k of ['line', 'col', 'endLine', 'endColumn']) assert.match(props[k], /^[1-9]\d*$/, `${k} is a 1-based number`);
  return { level: m[1], props, message: unescape(m[3]) };
}

const finding = (over: Partial<FlatFinding>): FlatFinding => ({
  rule: 'duplicate-memory-id',
  severity: 'error',
  file: 'src/lib.rs',
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 9,
  message: 'plain',
  related: [],
  ...over,
});

describe('check --format github', () => {
  before(() => ensureBuilt());

  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    const out = formatGithub([
      finding({ file: 'a:b,c%d.rs', message: '100% sure\r\nsecond line: a, b' }),
      finding({ severity: 'info', rule: 'candid-storable-encoding', related: [{ file: 'x.rs', line: 1, column: 2, message: 'first here' }] }),
    ]);
    const lines = out.split('\n');
    assert.equal(lines.pop(), '', 'one command per line, each ending in a newline');
    const [a, b] = lines.map(parse);
    assert.equal(a.level, 'error');
    assert.equal(a.props.file, 'a:b,c%d.rs');
    assert.equal(a.message, '100% sure\r\nsecond line: a, b');
    assert.ok(lines[0].includes('file=a%3Ab%2Cc%25d.rs,'));
    assert.equal(b.level, 'notice', 'info and hint become notices');
    assert.equal(b.message, 'plain\nx.rs:1:2 first here');
  });

  it('annotates every finding of the Rust examples, with the exit code of check', () => {
    // The Rust canisters have errors, warnings and related locations, and need no compiler run.
    const crates = ['examples/src/ledger', 'examples/src/profiles'];
    const run = (format: string) => spawnSync(process.execPath, [cli, 'check', ...crates, '--format', format], { cwd: root, encoding: 'utf8' });
    const github = run('github');
    const json = JSON.parse(run('json').stdout).findings as FlatFinding[];
    assert.equal(github.status, 1);
    const annotations = github.stdout.trimEnd().split('\n').map(parse);
    assert.equal(annotations.length, json.length);
    annotations.forEach((a, i) => {
      const f = json[i];
      assert.deepEqual(a.props, { file: f.file, line: `${f.line}`, col: `${f.column}`, endLine: `${f.endLine}`, endColumn: `${f.endColumn}`, title: f.rule });
      assert.equal(a.level, { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' }[f.severity]);
      assert.ok(a.message.startsWith(f.message));
    });
    assert.ok(annotations.some((a) => a.level === 'error') && annotations.some((a) => a.level === 'warning'));
    assert.ok(
      annotations.some((a) => a.message.includes('\n')),
      'related locations follow the message',
    );
  });

  it('refuses an unknown format with the list of formats', () => {
    const res = spawnSync(process.execPath, [cli, 'check', 'examples/src/ledger', '--format', 'gitlab'], { cwd: root, encoding: 'utf8' });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /--format must be text, json, sarif or github, not 'gitlab'/);
  });
});
