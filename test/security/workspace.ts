/**
 * A workspace that would run code if anything executed it (a build script, a dfx packtool, mops),
 * a snapshot of every file's bytes and times to prove nothing was written, and the spy preload's log.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SPY = path.join(__dirname, 'spy.cjs');
/** The file a build script or package tool would create if it ran. */
export const MARKER = 'PWNED';

const LIB = `use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap};
use std::cell::RefCell;
use std::collections::HashMap;

type Memory = VirtualMemory<DefaultMemoryImpl>;

thread_local! {
    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static USERS: RefCell<StableBTreeMap<u64, u64, Memory>> =
        RefCell::new(StableBTreeMap::new(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
    static ORDERS: RefCell<StableBTreeMap<u64, u64, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER.with(|m| m.borrow().get(MemoryId::new(0)))));
    static CACHE: RefCell<HashMap<u64, String>> = RefCell::new(HashMap::new());
}

#[ic_cdk::init]
fn init() {}
`;

export function makeWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-sec-')));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const touch = `node -e "require('fs').writeFileSync('${MARKER}', '')"`;
  write(
    'Cargo.toml',
    '[package]\nname = "canister"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nic-cdk = "0.17"\nic-stable-structures = "0.6.9"\n\n[build-dependencies]\ncc = "1"\n',
  );
  write(
    'build.rs',
    `fn main() {\n    std::fs::write("${MARKER}", "").unwrap();\n    std::process::Command::new("sh").arg("-c").arg("touch ${MARKER}").status().unwrap();\n}\n`,
  );
  write('src/lib.rs', LIB);
  write(
    'dfx.json',
    JSON.stringify(
      { canisters: { backend: { type: 'rust', package: 'canister' }, shop: { type: 'motoko', main: 'mo/main.mo' } }, defaults: { build: { packtool: touch } } },
      null,
      2,
    ),
  );
  write('mops.toml', '[dependencies]\ncore = "2.5.0"\n\n[toolchain]\nmoc = "0.14.0"\n');
  write('package.json', JSON.stringify({ name: 'ws', scripts: { preinstall: touch, postinstall: touch, prepare: touch } }));
  write('.cargo/config.toml', `[build]\nrustc-wrapper = "sh -c 'touch ${MARKER}'"\n`);
  write(
    'mo/main.mo',
    'persistent actor Shop {\n  stable var total = 0;\n  transient var orders : [Text] = [];\n  public func order(item : Text) : async () {\n    orders := [item];\n    total += 1;\n  };\n};\n',
  );
  return dir;
}

export interface Entry {
  type: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  sha256?: string;
}

/** Every file and folder below `dir`: type, size, times, and a hash of file contents. */
export function snapshot(dir: string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    const rel = path.relative(dir, p) || '.';
    const type = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'link' : 'other';
    out[rel] = { type, size: st.isDirectory() ? 0 : st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
    if (type === 'file') out[rel].sha256 = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    if (type === 'dir') for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
  };
  visit(dir);
  return out;
}

export interface SpyRecord {
  kind: 'preload' | 'exec' | 'network' | 'write';
  detail: unknown[];
  pid: number;
  thread: string | number;
}

export function readSpyLog(file: string): SpyRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SpyRecord);
}

/** The environment that preloads the spy into a Node process and its workers. */
export function spyEnv(log: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_OPTIONS: `--require ${SPY}`, SPY_LOG: log, NO_COLOR: '1' };
}
