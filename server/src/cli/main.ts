import * as path from 'node:path';
import { analyzePaths } from '../check/rustProject';
import { SEVERITY_RANK, parseBaselineSpec, type BaselineSpec } from '../core/config';
import { UsageError } from '../rust/project/discover';
import { parseArgs, USAGE, CliUsageError, type CheckArgs, type LockArgs, type MapArgs, type ReportArgs } from './args';
import { describeOutcomes, lockMotoko, lockProject } from './lock';
import { flatten } from './findings';
import { formatGithub } from './formatGithub';
import { formatSarif } from './formatSarif';
import { formatText } from './formatText';
import { buildReport } from './report';
import { formatReportMarkdown, formatReportText } from './formatReport';
import { formatMap } from './printMap';
import { renderRuleDoc } from '../rules/docs';
import { memoryMap } from '../rust/analysis/memoryMap';
import { analyzeMotokoPaths, motokoCanisters } from '../check/motokoProject';
import { BUNDLED_TOOLCHAIN, describeToolchain } from '../motoko/project/toolchain';
import { initRustParser } from '../rust/syntax/treeSitter';
import { rules, ruleById } from '../rules/registry';

declare const STABLE_LENS_VERSION: string | undefined;
const VERSION = typeof STABLE_LENS_VERSION === 'string' ? STABLE_LENS_VERSION : 'dev';

interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
  isTty: boolean;
}

function warnOnce(io: Io): (msg: string) => void {
  const seen = new Set<string>();
  return (msg) => {
    if (seen.has(msg)) return;
    seen.add(msg);
    io.err(`stable-lens: warning: ${msg}\n`);
  };
}

function projectOptions(io: Io, rulesConfig: CheckArgs['rules'], baseline?: string, motokoDiagnostics?: CheckArgs['motokoDiagnostics']) {
  const warn = warnOnce(io);
  const failed = new Set<string>();
  const spec = parseBaselineSpec(baseline);
  return {
    config: { rules: rulesConfig, ...(motokoDiagnostics ? { motokoDiagnostics } : {}) },
    baseline: 'error' in spec ? undefined : (spec as BaselineSpec),
    warn,
    onRuleError: (rule: { id: string }, crate: { name: string }, error: unknown) => {
      if (failed.has(rule.id)) return;
      failed.add(rule.id);
      io.err(
        `stable-lens: internal error: rule ${rule.id} failed on crate ${crate.name} and was skipped (${error instanceof Error ? error.message : String(error)})\n`,
      );
    },
  };
}

/** Motoko projects under the paths, compiled in the bundled worker (or in this thread from sources). */
function motoko(paths: string[], options: ReturnType<typeof projectOptions>, runPackageTools: boolean | undefined, signatures = false) {
  return analyzeMotokoPaths(paths, {
    config: options.config,
    warn: options.warn,
    runPackageTools,
    signatures,
    baseline: options.baseline,
    workerScript: path.join(__dirname, 'motokoWorker.js'),
    onRuleError: (rule, file, error) => options.onRuleError(rule, { name: file }, error),
  });
}

async function check(args: CheckArgs, io: Io): Promise<number> {
  await initRustParser();
  const options = projectOptions(io, args.rules, args.baseline, args.motokoDiagnostics);
  // Nobody applies fixes from a check, so rules skip building the costly ones.
  const result = analyzePaths(args.paths, { ...options, fixes: false });
  const mo = await motoko(args.paths, options, args.runPackageTools);
  const findings = flatten(result, io.cwd, mo.projects);
  if (args.format === 'json') {
    const json = { version: 1, findings: findings.map(({ related: _related, ...f }) => f) };
    io.out(JSON.stringify(json, null, 2) + '\n');
  } else if (args.format === 'sarif') {
    io.out(formatSarif(findings, VERSION));
  } else if (args.format === 'github') {
    io.out(formatGithub(findings));
  } else {
    const files = result.crates.reduce((n, c) => n + c.files.size, 0);
    const moFiles = mo.projects.reduce((n, p) => n + p.results.length, 0);
    const notes = mo.projects.map(
      (p) => `Motoko ${path.relative(io.cwd, p.project.root) || '.'}: ${describeToolchain(p.project.toolchain ?? BUNDLED_TOOLCHAIN)}`,
    );
    io.out(formatText(findings, args.color ?? io.isTty, files, moFiles, notes));
  }
  const threshold = SEVERITY_RANK[args.failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

async function report(args: ReportArgs, io: Io): Promise<number> {
  await initRustParser();
  const options = projectOptions(io, {}, args.baseline);
  const result = analyzePaths(args.paths, { ...options, fixes: false });
  // The report shows each Motoko canister's current signature, so it is compiled even when no rule wants it.
  const mo = await motoko(args.paths, options, args.runPackageTools, true);
  const built = buildReport(result, mo.projects, io.cwd, args.baseline);
  if (args.format === 'json') io.out(JSON.stringify(built, null, 2) + '\n');
  else io.out(args.format === 'text' ? formatReportText(built) : formatReportMarkdown(built));
  const threshold = SEVERITY_RANK[args.failOn];
  return flatten(result, io.cwd, mo.projects).some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

async function map(args: MapArgs, io: Io): Promise<number> {
  await initRustParser();
  const options = projectOptions(io, {});
  const result = analyzePaths(args.paths, options);
  const json = memoryMap(result.crates, io.cwd);
  const mo = await motoko(args.paths, options, args.runPackageTools, true);
  json.canisters.push(...mo.projects.flatMap((p) => motokoCanisters(p, io.cwd)));
  io.out(args.json ? JSON.stringify(json, null, 2) + '\n' : formatMap(json));
  return 0;
}

async function lock(args: LockArgs, io: Io): Promise<number> {
  await initRustParser();
  const options = projectOptions(io, {});
  const result = analyzePaths(args.paths, options);
  const outcomes = lockProject(result, args.check, options.warn);
  // Motoko signatures come from the compiler: each canister's main file is compiled once.
  const mo = await motoko(args.paths, options, args.runPackageTools, true);
  outcomes.push(...lockMotoko(mo.projects, args.check, options.warn));
  io.out(describeOutcomes(outcomes, io.cwd));
  return outcomes.some((o) => o.state === 'failed' || (args.check && (o.state === 'stale' || o.state === 'missing'))) ? 1 : 0;
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv, new Set(rules.map((r) => r.id)));
    switch (args.command) {
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      case 'version':
        io.out(`stable-lens ${VERSION}\n`);
        return 0;
      case 'rules':
        for (const r of rules) io.out(`${r.id.padEnd(38)} ${r.language.padEnd(7)} ${r.defaultSeverity.padEnd(8)} ${r.docs.summary}\n`);
        return 0;
      case 'explain':
        io.out(renderRuleDoc(ruleById(args.id)!));
        return 0;
      case 'check':
        return await check(args, io);
      case 'map':
        return await map(args, io);
      case 'lock':
        return await lock(args, io);
      case 'report':
        return await report(args, io);
    }
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof UsageError) {
      io.err(`stable-lens: ${e.message}\n${e instanceof CliUsageError ? 'Run stable-lens --help for usage.\n' : ''}`);
      return 2;
    }
    io.err(`stable-lens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  run(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  }).then((code) => {
    process.exitCode = code;
  });
}
