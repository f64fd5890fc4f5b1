import { isSeveritySetting, type MotokoCompilerDiagnostics } from '../core/config';
import type { Severity, SeveritySetting } from '../core/findings';

export class CliUsageError extends Error {}

export interface CheckArgs {
  command: 'check';
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'github';
  rules: Record<string, SeveritySetting>;
  failOn: Severity;
  color?: boolean;
  /** Runs dfx's packtool or `mops sources` to find Motoko packages. */
  runPackageTools?: boolean;
  baseline?: string;
  /** Which Motoko compiler diagnostics to show: `upgrade` (default), `all` or `none`. */
  motokoDiagnostics?: MotokoCompilerDiagnostics;
}

export interface LockArgs {
  command: 'lock';
  paths: string[];
  check: boolean;
  runPackageTools?: boolean;
}

export interface MapArgs {
  command: 'map';
  paths: string[];
  json: boolean;
  runPackageTools?: boolean;
}

export interface ReportArgs {
  command: 'report';
  paths: string[];
  format: 'markdown' | 'json' | 'text';
  baseline: string;
  failOn: Severity;
  runPackageTools?: boolean;
}

export type Args =
  CheckArgs | MapArgs | LockArgs | ReportArgs | { command: 'rules' } | { command: 'explain'; id: string } | { command: 'help' } | { command: 'version' };

function takeValue(argv: string[], i: number, flag: string): [string, number] {
  const arg = argv[i];
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return [arg.slice(eq + 1), i];
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
  return [next, i + 1];
}

function baselineValue(v: string): string {
  if (v !== 'lockfile' && v !== 'dfx' && !(v.startsWith('git:') && v.length > 4))
    throw new CliUsageError(`--baseline must be lockfile, dfx or git:<ref>, not '${v}'`);
  if (v.startsWith('git:-')) throw new CliUsageError(`--baseline: a git ref cannot start with '-' ('${v.slice(4)}')`);
  return v;
}

function failOnValue(v: string): Severity {
  if (v !== 'error' && v !== 'warning' && v !== 'info' && v !== 'hint') throw new CliUsageError(`--fail-on must be error, warning, info or hint, not '${v}'`);
  return v;
}

/**
 * The one option loop of every command: `valued` flags take a value (`--flag v` or `--flag=v`),
 * `switches` take none, anything else that starts with `-` is refused. Returns the paths, `.` by default.
 */
function readOptions(command: string, rest: string[], valued: Record<string, (v: string) => void>, switches: Record<string, () => void>): string[] {
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const flag = arg.split('=')[0];
    if (Object.hasOwn(valued, flag)) {
      const [v, j] = takeValue(rest, i, flag);
      i = j;
      valued[flag](v);
    } else if (Object.hasOwn(switches, arg)) switches[arg]();
    else if (arg.startsWith('-')) throw new CliUsageError(`unknown option ${arg} for ${command}`);
    else paths.push(arg);
  }
  return paths.length ? paths : ['.'];
}

function oneOf<T extends string>(flag: string, allowed: readonly T[], v: string, what = ''): T {
  if ((allowed as readonly string[]).includes(v)) return v as T;
  const list = `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  throw new CliUsageError(`${flag} must be ${list}${what}, not '${v}'`);
}

function parseReport(rest: string[]): ReportArgs {
  const out: ReportArgs = { command: 'report', paths: [], format: 'markdown', baseline: 'lockfile', failOn: 'warning' };
  out.paths = readOptions(
    'report',
    rest,
    {
      '--format': (v) => (out.format = oneOf('--format', ['markdown', 'json', 'text'], v, ' for report')),
      '--baseline': (v) => (out.baseline = baselineValue(v)),
      '--fail-on': (v) => (out.failOn = failOnValue(v)),
    },
    { '--run-package-tools': () => (out.runPackageTools = true) },
  );
  return out;
}

function parseCheck(rest: string[], knownRules: Set<string>): CheckArgs {
  const out: CheckArgs = { command: 'check', paths: [], format: 'text', rules: {}, failOn: 'warning' };
  const rule = (v: string) => {
    const [id, sev] = v.split('=');
    if (!id || !sev) throw new CliUsageError(`--rule takes ID=SEVERITY, for example --rule duplicate-memory-id=off`);
    if (!knownRules.has(id)) throw new CliUsageError(`unknown rule '${id}' in --rule (see stable-lens rules)`);
    if (!isSeveritySetting(sev)) throw new CliUsageError(`--rule ${id}: severity must be off, hint, info, warning, error or default, not '${sev}'`);
    out.rules[id] = sev;
  };
  out.paths = readOptions(
    'check',
    rest,
    {
      '--format': (v) => (out.format = oneOf('--format', ['text', 'json', 'sarif', 'github'], v)),
      '--rule': rule,
      '--fail-on': (v) => (out.failOn = failOnValue(v)),
      '--baseline': (v) => (out.baseline = baselineValue(v)),
      '--motoko-diagnostics': (v) => (out.motokoDiagnostics = oneOf('--motoko-diagnostics', ['upgrade', 'all', 'none'] as const, v)),
    },
    {
      '--run-package-tools': () => (out.runPackageTools = true),
      '--color': () => (out.color = true),
      '--no-color': () => (out.color = false),
    },
  );
  return out;
}

export function parseArgs(argv: string[], knownRules: Set<string>): Args {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  if (command === 'rules') return { command: 'rules' };
  if (command === 'explain') {
    const id = rest[0];
    if (!id) throw new CliUsageError('explain needs a rule id: stable-lens explain <rule-id>');
    if (!knownRules.has(id)) throw new CliUsageError(`unknown rule '${id}' (see stable-lens rules)`);
    return { command: 'explain', id };
  }
  if (command === 'map') {
    const out: MapArgs = { command: 'map', paths: [], json: false };
    out.paths = readOptions('map', rest, {}, { '--json': () => (out.json = true), '--run-package-tools': () => (out.runPackageTools = true) });
    return out;
  }
  if (command === 'lock') {
    const out: LockArgs = { command: 'lock', paths: [], check: false };
    out.paths = readOptions('lock', rest, {}, { '--check': () => (out.check = true), '--run-package-tools': () => (out.runPackageTools = true) });
    return out;
  }
  if (command === 'report') return parseReport(rest);
  if (command === 'check') return parseCheck(rest, knownRules);
  throw new CliUsageError(`unknown command '${command}'`);
}

export const USAGE = `Usage: stable-lens <command> [options]

Commands:
  check [PATH...]       Analyse the Rust crates and Motoko projects under PATH (default: .)
      --format text|json|sarif|github
                                  Output format (default: text); github prints workflow
                                  commands that annotate a pull request's diff
      --rule ID=SEVERITY          off, hint, info, warning, error or default; repeatable
      --fail-on error|warning|info|hint
                                  Exit 1 when a finding is at or above this (default: warning)
      --color / --no-color        Force colours on or off (default: on for a terminal)
      --baseline lockfile|dfx|git:REF
                                  Compare stable layouts with each canister's stable-layout.lock.json
                                  (default; a Motoko canister without one falls back to the .most
                                  dfx or mops built last), with only those .most files (dfx), or
                                  with the code at a git revision
      --run-package-tools         Run dfx's packtool or mops sources to find Motoko packages
                                  (default: read .mops/ without running anything)
      --motoko-diagnostics upgrade|all|none
                                  Motoko compiler diagnostics to show: those about stable variables
                                  and upgrades plus errors in files a canister builds (default),
                                  every one, or none
  map [PATH] [--json]   Print each canister's MemoryId map and Motoko stable variables
  lock [PATH] [--check] Write stable-layout.lock.json at each Rust canister root and next to each
                        Motoko canister's main file (its stable signature, compiled); with --check,
                        exit 1 when one is missing or out of date instead of writing
  report [PATH...]      Say per canister what an upgrade from the baseline to the working tree does
                        to stable state: MemoryIds, structures, Storable bounds, encodings and
                        fields, Motoko stable variables with the compiler's verdict, ignored
                        initializer changes, and the error-level findings
      --baseline lockfile|dfx|git:REF   As for check (default: lockfile)
      --format markdown|json|text       Output format (default: markdown, for a pull request)
      --fail-on error|warning|info|hint Exit code as for check (default: warning)
  rules                 List the rules
  explain <rule-id>     Print a rule's documentation

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable path.`;
