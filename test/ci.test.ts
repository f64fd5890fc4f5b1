import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ensureBuilt } from './lsp/client';

const root = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-ci-'));
const work = path.join(tmp, 'work');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}
const workflow = parse(fs.readFileSync(path.join(root, 'docs', 'ci', 'github-actions.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

/** The README's shell lines that run the CLI; usage synopses, with their [options] and <placeholders>, are not commands. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('stable-lens') && !/[[<]/.test(l));
}

/**
 * The exit code the README documents for a command on examples/, a workspace with error findings
 * and lockfiles that are out of date: 1 for check, report (as check) and lock --check; 0 otherwise.
 */
function documentedCode(line: string): number {
  const [, command, ...args] = line.split(/\s+/);
  if (command === 'check' || command === 'report') return 1;
  if (command === 'lock' && args.includes('--check')) return 1;
  return 0;
}

interface Line {
  line: string;
  env?: Record<string, string>;
}

/** Runs the lines two at a time (each compiles the Motoko canister) and asserts each one's exit code. */
async function runLines(lines: Line[]): Promise<void> {
  const queue = [...lines];
  const one = ({ line, env }: Line) =>
    new Promise<void>((resolve, reject) => {
      // `|| true` only keeps a script going: the documented code is the command's own.
      const script = `set -o pipefail\n${line.replace(/\s*\|\|\s*true\b.*$/, '').replace(/\s+#.*$/, '')}`;
      const child = spawn('bash', ['-c', script], {
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...env, NO_COLOR: '1', PATH: `${path.join(tmp, 'bin')}${path.delimiter}${process.env.PATH}`, RUNNER_TEMP: tmp },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        try {
          assert.equal(code, documentedCode(line), `${line}\n${stderr}`);
          assert.doesNotMatch(stderr, /internal error|usage/i, line);
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await one(next);
  };
  await Promise.all([worker(), worker()]);
}

describe('the CI workflow and the README commands', () => {
  before(() => {
    ensureBuilt();
    // A copy of examples/ committed on main, with the base branch a pull request compares with.
    fs.cpSync(path.join(root, 'examples'), work, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.writeFileSync(path.join(tmp, 'bin', 'stable-lens'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, 'dist', 'cli.js')}" "$@"\n`, {
      mode: 0o755,
    });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('parses as a workflow with the steps the README promises', () => {
    assert.ok('pull_request' in workflow.on);
    assert.equal(workflow.permissions['security-events'], 'write');
    const runs = steps.map((s) => s.run ?? '').join('\n');
    assert.match(runs, /npm pack/);
    assert.match(runs, /npm install -g /);
    const check = steps.find((s) => /stable-lens check --format sarif > (\S+)/.test(s.run ?? ''))!;
    const sarif = /> (\S+)/.exec(check.run!)![1];
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.equal(upload?.with?.sarif_file, sarif);
    assert.ok(steps.some((s) => s.run === 'stable-lens lock --check'));
    const report = steps.find((s) => s.run?.startsWith('stable-lens report'))!;
    assert.match(report.run!, /--baseline "git:origin\/\$BASE_REF" >> "\$GITHUB_STEP_SUMMARY"$/);
    assert.equal(report.env?.BASE_REF, '${{ github.base_ref }}');
    // The findings fail the job only after they are uploaded.
    const gate = steps.find((s) => s.if === `steps.${check.id}.outcome == 'failure'`);
    assert.ok(check['continue-on-error'] && gate && steps.indexOf(gate) > steps.indexOf(upload!));
  });

  it('runs every stable-lens line of the workflow on examples/ with the documented exit code', async () => {
    const summary = path.join(tmp, 'summary.md');
    const lines = steps.flatMap((s) =>
      (s.run ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('stable-lens'))
        .map((line) => ({ line, env: Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, v.replace('${{ github.base_ref }}', 'main')])) })),
    );
    assert.ok(lines.length >= 4, lines.map((l) => l.line).join('\n'));
    await runLines(lines.map((l) => ({ line: l.line, env: { ...l.env, GITHUB_STEP_SUMMARY: summary } })));
    assert.match(fs.readFileSync(summary, 'utf8'), /^## Stable Lens upgrade report\n\nBaseline: `git:origin\/main`\./);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'stable-lens.sarif'), 'utf8'));
    assert.ok(sarif.runs[0].results.length > 0);
  });

  it("runs every stable-lens line of the README's shell blocks on examples/ with the documented exit code", async () => {
    const lines = [...new Set(readmeCommands())];
    assert.ok(lines.some((l) => l.startsWith('stable-lens report')) && lines.some((l) => l.startsWith('stable-lens lock --check')), lines.join('\n'));
    await runLines(lines.map((line) => ({ line })));
    assert.match(fs.readFileSync(path.join(work, 'upgrade-report.md'), 'utf8'), /^## Stable Lens upgrade report/);
  });
});
