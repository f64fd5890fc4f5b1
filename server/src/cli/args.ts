import { isSeveritySetting, type MotokoCompilerDiagnostics } from '../core/config';
import type { Severity, SeveritySetting } from '../core/findings';

export class CliUsageError extends Error {}

export interface CheckArgs {
  command: 'check';
  paths: string[];
  format: 'text' | 'json' | 'sarif';
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

export type Args = CheckArgs | MapArgs | LockArgs | { command: 'rules' } | { command: 'explain'; id: string } | { command: 'help' } | { command: 'version' };

function takeValue(argv: string[], i: number, flag: string): [string, number] {
  const arg = argv[i];
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return [arg.slice(eq + 1), i];
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
  return [next, i + 1];
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
    for (const arg of rest) {
      if (arg === '--json') out.json = true;
      else if (arg === '--run-package-tools') out.runPackageTools = true;
      else if (arg.startsWith('-')) throw new CliUsageError(`unknown option ${arg} for map`);
      else out.paths.push(arg);
    }
    if (out.paths.length === 0) out.paths.push('.');
    return out;
  }
  if (command === 'lock') {
    const out: LockArgs = { command: 'lock', paths: [], check: false };
    for (const arg of rest) {
      if (arg === '--check') out.check = true;
      else if (arg === '--run-package-tools') out.runPackageTools = true;
      else if (arg.startsWith('-')) throw new CliUsageError(`unknown option ${arg} for lock`);
      else out.paths.push(arg);
    }
    if (out.paths.length === 0) out.paths.push('.');
    return out;
  }
  if (command === 'check') {
    const out: CheckArgs = { command: 'check', paths: [], format: 'text', rules: {}, failOn: 'warning' };
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i];
      const flag = arg.split('=')[0];
      if (flag === '--format') {
        const [v, j] = takeValue(rest, i, flag);
        i = j;
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new CliUsageError(`--format must be text, json or sarif, not '${v}'`);
        out.format = v;
      } else if (flag === '--rule') {
        const [v, j] = takeValue(rest, i, flag);
        i = j;
        const [id, sev] = v.split('=');
        if (!id || !sev) throw new CliUsageError(`--rule takes ID=SEVERITY, for example --rule duplicate-memory-id=off`);
        if (!knownRules.has(id)) throw new CliUsageError(`unknown rule '${id}' in --rule (see stable-lens rules)`);
        if (!isSeveritySetting(sev)) throw new CliUsageError(`--rule ${id}: severity must be off, hint, info, warning, error or default, not '${sev}'`);
        out.rules[id] = sev;
      } else if (flag === '--fail-on') {
        const [v, j] = takeValue(rest, i, flag);
        i = j;
        if (v !== 'error' && v !== 'warning' && v !== 'info' && v !== 'hint')
          throw new CliUsageError(`--fail-on must be error, warning, info or hint, not '${v}'`);
        out.failOn = v;
      } else if (flag === '--baseline') {
        const [v, j] = takeValue(rest, i, flag);
        i = j;
        if (v !== 'lockfile' && v !== 'dfx' && !(v.startsWith('git:') && v.length > 4))
          throw new CliUsageError(`--baseline must be lockfile, dfx or git:<ref>, not '${v}'`);
        if (v.startsWith('git:-')) throw new CliUsageError(`--baseline: a git ref cannot start with '-' ('${v.slice(4)}')`);
        out.baseline = v;
      } else if (flag === '--motoko-diagnostics') {
        const [v, j] = takeValue(rest, i, flag);
        i = j;
        if (v !== 'upgrade' && v !== 'all' && v !== 'none') throw new CliUsageError(`--motoko-diagnostics must be upgrade, all or none, not '${v}'`);
        out.motokoDiagnostics = v;
      } else if (arg === '--run-package-tools') out.runPackageTools = true;
      else if (arg === '--color') out.color = true;
      else if (arg === '--no-color') out.color = false;
      else if (arg.startsWith('-')) throw new CliUsageError(`unknown option ${arg} for check`);
      else out.paths.push(arg);
    }
    if (out.paths.length === 0) out.paths.push('.');
    return out;
  }
  throw new CliUsageError(`unknown command '${command}'`);
}

export const USAGE = `Usage: stable-lens <command> [options]

Commands:
  check [PATH...]       Analyse the Rust crates and Motoko projects under PATH (default: .)
      --format text|json|sarif    Output format (default: text)
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
  rules                 List the rules
  explain <rule-id>     Print a rule's documentation

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable path.`;
