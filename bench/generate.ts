/**
 * Writes a synthetic canister workspace of a chosen size: a Cargo workspace of canister crates whose
 * files are mostly ordinary code, with about one file in eight touching stable memory (MemoryIds,
 * Storable impls, thread_local state, upgrade hooks), as in real canister repositories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GenerateOptions {
  lines: number;
  crates?: number;
  linesPerFile?: number;
  /** One file in `stableEvery` mentions stable memory. */
  stableEvery?: number;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function ordinaryItem(i: number, r: () => number): string {
  const n = Math.floor(r() * 1000);
  switch (i % 4) {
    case 0:
      return `/// Computes a fee tier for an amount.\npub fn fee_tier_${i}(amount: u64) -> u64 {\n    let base = amount / ${n + 1};\n    if base > ${n} {\n        base - ${n}\n    } else {\n        base + 1\n    }\n}\n`;
    case 1:
      return `#[derive(Clone, Debug, PartialEq)]\npub struct Record${i} {\n    pub id: u64,\n    pub label: String,\n    pub tags: Vec<String>,\n    pub score: f64,\n}\n\nimpl Record${i} {\n    pub fn weight(&self) -> f64 {\n        self.score * ${n}.0 + self.tags.len() as f64\n    }\n}\n`;
    case 2:
      return `pub fn parse_${i}(input: &str) -> Result<Vec<u32>, String> {\n    input\n        .split(',')\n        .map(|s| s.trim().parse::<u32>().map_err(|e| format!("bad number {s}: {e}")))\n        .collect()\n}\n`;
    default:
      return `#[cfg(test)]\nmod tests_${i} {\n    #[test]\n    fn adds() {\n        assert_eq!(${n} + 1, ${n + 1});\n    }\n}\n`;
  }
}

export function stableFile(crate: number, file: number, firstId: number): string {
  const ids = [firstId, firstId + 1, firstId + 2];
  return `use candid::{CandidType, Deserialize};
use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};
use ic_stable_structures::storable::{Bound, Storable};
use ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap, StableCell};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

type Memory = VirtualMemory<DefaultMemoryImpl>;

const ACCOUNTS_${file}: MemoryId = MemoryId::new(${ids[0]});
const SETTINGS_${file}: MemoryId = MemoryId::new(${ids[1]});

#[derive(CandidType, Deserialize, Clone)]
pub struct Account${file} {
    pub owner: String,
    pub balance: u64,
}

impl Storable for Account${file} {
    fn to_bytes(&self) -> Cow<[u8]> {
        let mut buf = vec![];
        ciborium::into_writer(self, &mut buf).unwrap();
        Cow::Owned(buf)
    }

    fn into_bytes(self) -> Vec<u8> {
        self.to_bytes().into_owned()
    }

    fn from_bytes(bytes: Cow<[u8]>) -> Self {
        ciborium::from_reader(bytes.as_ref()).unwrap()
    }

    const BOUND: Bound = Bound::Unbounded;
}

thread_local! {
    static MEMORY_MANAGER_${file}: RefCell<MemoryManager<DefaultMemoryImpl>> =
        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));
    static ACCOUNT_MAP_${file}: RefCell<StableBTreeMap<u64, Account${file}, Memory>> =
        RefCell::new(StableBTreeMap::init(MEMORY_MANAGER_${file}.with(|m| m.borrow().get(ACCOUNTS_${file}))));
    static SETTINGS_CELL_${file}: RefCell<StableCell<u64, Memory>> =
        RefCell::new(StableCell::init(MEMORY_MANAGER_${file}.with(|m| m.borrow().get(SETTINGS_${file})), 0));
    static SESSIONS_${file}: RefCell<HashMap<u64, String>> = RefCell::new(HashMap::new());
}

#[ic_cdk::update]
fn deposit_${crate}_${file}(id: u64, amount: u64) {
    ACCOUNT_MAP_${file}.with(|m| {
        let mut m = m.borrow_mut();
        let mut account = m.get(&id).unwrap_or(Account${file} { owner: String::new(), balance: 0 });
        account.balance += amount;
        m.insert(id, account);
    });
}
`;
}

/** One file of about `lines` lines: a stable-memory header, then ordinary code. */
export function bigFile(lines: number): string {
  const r = rng(lines);
  let text = stableFile(0, 0, 0);
  let count = text.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const item = '\n' + ordinaryItem(i, r);
    text += item;
    count += item.split('\n').length - 1;
  }
  return text;
}

/** Writes the workspace under `dir` and returns the number of lines and Rust files written. */
export function generate(dir: string, opts: GenerateOptions): { lines: number; files: number } {
  const r = rng(opts.lines);
  const linesPerFile = opts.linesPerFile ?? 250;
  const stableEvery = opts.stableEvery ?? 8;
  const totalFiles = Math.max(1, Math.round(opts.lines / linesPerFile));
  const crates = opts.crates ?? Math.max(1, Math.round(totalFiles / 40));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const members = Array.from({ length: crates }, (_, c) => `canisters/c${c}`);
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), `[workspace]\nmembers = [${members.map((m) => JSON.stringify(m)).join(', ')}]\nresolver = "2"\n`);
  let written = 0;
  let files = 0;
  for (let c = 0; c < crates; c++) {
    const root = path.join(dir, members[c]);
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'Cargo.toml'),
      `[package]\nname = "c${c}"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nic-stable-structures = "0.7.2"\nic-cdk = "0.17"\ncandid = "0.10"\nciborium = "0.2"\n`,
    );
    const perCrate = Math.ceil(totalFiles / crates);
    const mods: string[] = [];
    let nextId = 0;
    for (let f = 0; f < perCrate && files < totalFiles; f++, files++) {
      const name = `m${f}`;
      mods.push(name);
      let text = '';
      if (f % stableEvery === 0 && nextId < 250) {
        text = stableFile(c, f, nextId);
        nextId += 3;
      }
      for (let i = 0; text.split('\n').length < linesPerFile; i++) text += '\n' + ordinaryItem(f * 1000 + i, r);
      fs.writeFileSync(path.join(root, 'src', `${name}.rs`), text);
      written += text.split('\n').length;
    }
    const lib = mods.map((m) => `mod ${m};`).join('\n') + '\n';
    fs.writeFileSync(path.join(root, 'src', 'lib.rs'), lib);
    written += mods.length + 1;
    files++;
  }
  return { lines: written, files };
}

if (require.main === module) {
  const [dir, lines] = process.argv.slice(2);
  if (!dir || !lines) {
    console.error('usage: generate.ts DIR LINES');
    process.exit(2);
  }
  console.log(generate(dir, { lines: Number(lines) }));
}
