import * as path from 'node:path';
import { listDir, type FileSystem } from '../../core/fileSystem';
import { compilerFlags, splitArgs } from './flags';

/** A Motoko canister as a build file describes it: its main file and the moc flags it is built with. */
export interface BuiltCanister {
  name: string;
  main: string;
  args: string[];
}

/** The main file and moc flags of a shell command that runs moc (`moc src/main.mo --default-persistent-actors -o x.wasm`). */
export function mocCommand(command: string, dir: string): { main?: string; args: string[] } | undefined {
  const words = splitArgs(command);
  const at = words.findIndex((w) => w === 'moc' || w.endsWith('/moc') || w === '$(mops toolchain bin moc)');
  if (at < 0) return undefined;
  const rest = words.slice(at + 1);
  const main = rest.find((w) => w.endsWith('.mo'));
  return { ...(main ? { main: path.resolve(dir, main) } : {}), args: compilerFlags(rest) };
}

/**
 * The Motoko canisters of an icp.yaml or canister.yaml, read line by line (no YAML parser is
 * bundled): a `name:` starts a canister, `main:` and `args:` of the Motoko recipe, and script
 * commands that run moc, fill it in. A canister that names no `.mo` file is not a Motoko one.
 */
export function readIcpYaml(text: string, dir: string, fallbackName: string): BuiltCanister[] {
  const out: BuiltCanister[] = [];
  let current: { name: string; main?: string; args: string[] } | undefined;
  const finish = () => {
    if (current?.main) out.push({ name: current.name, main: current.main, args: current.args });
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const value = (key: string) => {
      const m = new RegExp(`^(?:-\\s*)?${key}:\\s*(.*)$`).exec(line);
      return m ? m[1].trim().replace(/^["']|["']$/g, '') : undefined;
    };
    const name = value('name');
    if (name !== undefined && /^-\s*name:/.test(line)) {
      finish();
      current = { name, args: [] };
      continue;
    }
    current ??= { name: fallbackName, args: [] };
    const main = value('main');
    if (main?.endsWith('.mo')) current.main = path.resolve(dir, main);
    const args = value('args');
    if (args !== undefined) current.args.push(...compilerFlags(splitArgs(args)));
    const command = mocCommand(line.replace(/^-\s*/, '').replace(/^(command|commands):\s*/, ''), dir);
    if (command) {
      current.main ??= command.main;
      current.args.push(...command.args);
    }
  }
  finish();
  return out;
}

/**
 * The Motoko canisters of a folder's canister.yaml, or of its icp.yaml and the canister.yaml files
 * one folder below it: those belong to the project only when an icp.yaml makes it one.
 */
export function readIcpProject(fs: FileSystem, root: string, warn: (m: string) => void): BuiltCanister[] {
  const quiet = () => undefined;
  const out: BuiltCanister[] = [];
  const icp = path.join(root, 'icp.yaml');
  const hasIcp = fs.exists(icp);
  if (hasIcp) out.push(...readIcpYaml(fs.readText(icp, warn) ?? '', root, path.basename(root)));
  for (const sub of [root, ...(hasIcp ? listDir(root).map((n) => path.join(root, n)) : [])]) {
    const file = path.join(sub, 'canister.yaml');
    if (fs.exists(file)) out.push(...readIcpYaml(fs.readText(file, quiet) ?? '', sub, path.basename(sub)));
  }
  return out;
}
