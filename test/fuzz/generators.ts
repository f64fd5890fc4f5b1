/**
 * Shared fast-check generators for the fuzz and hardening tests: mutations of real sources, and
 * Rust crates and Motoko actors built from templates that trigger the rules with quick fixes.
 * Every test runs with a fixed seed and run count, so a failure reproduces and CI time is bounded.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import { FIXTURES, listRustFiles } from '../harness/fixtures';
import { listMotokoFiles } from '../harness/motoko';

/** FUZZ_SEED and FUZZ_SCALE let a developer search longer or elsewhere; CI uses the defaults. */
export const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

/** Options for fc.assert and fc.sample: reproducible, and small enough for a 2-core CI machine. */
export const runs = (numRuns: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)) });

export const rustFixtureTexts = (): string[] => listRustFiles(FIXTURES).map((f) => fs.readFileSync(f, 'utf8'));
export const motokoFixtureTexts = (): string[] => listMotokoFiles(FIXTURES).map((f) => fs.readFileSync(f, 'utf8'));

const RUST_TOKENS = [
  'thread_local!',
  '{',
  '}',
  '(',
  ')',
  '<',
  '>',
  ';',
  ',',
  '::',
  'static',
  'RefCell',
  'StableBTreeMap',
  'MemoryId::new(',
  '255',
  'impl Storable for',
  'const BOUND: Bound =',
  'Bound::Bounded {',
  'is_fixed_size: true',
  '#[init]',
  '#[post_upgrade]',
  'fn',
  '"',
  "'",
  'r#"',
  '/*',
  '*/',
  '//',
  '\n',
  '\r\n',
];
const MOTOKO_TOKENS = [
  'actor',
  'persistent',
  'stable',
  'transient',
  'var',
  'let',
  '{',
  '}',
  '(',
  ')',
  ';',
  '=',
  ':=',
  'system func preupgrade() {}',
  'func',
  'async',
  'Map.empty<Nat, Text>()',
  '"',
  '/*',
  '*/',
  '//',
  '\n',
];

/** UTF-16 code units, lone surrogates, NUL and control characters included. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((units) => String.fromCharCode(...units));

/** Random bytes decoded leniently, as an editor opens a file that is not UTF-8. */
const lenientBytes = fc
  .uint8Array({ maxLength: 400 })
  .chain((bytes) => fc.constantFrom(new TextDecoder('utf-8', { fatal: false }).decode(bytes), Buffer.from(bytes).toString('latin1')));

type Mutation = (text: string) => string;

const at = (text: string, ratio: number) => Math.floor(ratio * text.length);
/**
 * A fraction in [0, 1), spread evenly: fast-check's doubles cluster near 0 (they are drawn over
 * the bits of the number), which would put almost every edit at the very start of a file.
 */
export const fraction = fc.noBias(fc.integer({ min: 0, max: 0x7fffffff })).map((n) => n / 0x80000000);
const ratio = fraction;

/** How long a line and how deep a nesting mutations make. */
interface Limits {
  line: number;
  depth: number;
}

/** One edit that half-typed, corrupted or hostile source code might show. */
function mutation(tokens: string[], limits: Limits): fc.Arbitrary<Mutation> {
  return fc.oneof(
    ratio.map(
      (r): Mutation =>
        (t) =>
          t.slice(0, at(t, r)),
    ),
    fc.array(ratio, { minLength: 1, maxLength: 8 }).map((rs): Mutation => (t) => {
      // Deletes whole tokens, so the rest stays plausible code.
      const parts = t.split(/(\s+|\b)/);
      const drop = new Set(rs.map((r) => Math.floor(r * parts.length)));
      return parts.filter((_, i) => !drop.has(i)).join('');
    }),
    fc.tuple(ratio, fc.oneof(codeUnits, lenientBytes, fc.constantFrom(...tokens))).map(
      ([r, s]): Mutation =>
        (t) =>
          t.slice(0, at(t, r)) + s + t.slice(at(t, r)),
    ),
    fc.tuple(ratio, ratio, ratio).map(
      ([a, b, c]): Mutation =>
        (t) =>
          t.slice(0, at(t, c)) + t.slice(at(t, Math.min(a, b)), at(t, Math.max(a, b))) + t.slice(at(t, c)),
    ),
    fc.tuple(ratio, fc.integer({ min: 1_000, max: limits.line }), fc.constantFrom('x', 'a1_', ' ', '😀', '/', '"')).map(
      ([r, n, unit]): Mutation =>
        (t) =>
          t.slice(0, at(t, r)) + unit.repeat(Math.ceil(n / unit.length)) + t.slice(at(t, r)),
    ),
    fc
      .tuple(
        ratio,
        fc.integer({ min: Math.min(100, limits.depth), max: limits.depth }),
        fc.constantFrom('{', '(', '[', '<', 'Vec<', 'RefCell<', '?', '(', 'Option<', '{ x = '),
        fc.boolean(),
      )
      .map(([r, depth, open, closed]): Mutation => (t) => {
        const close = open.includes('<') ? '>' : open.includes('{') ? '}' : open.includes('(') ? ')' : open.includes('[') ? ']' : '';
        return t.slice(0, at(t, r)) + open.repeat(depth) + 'u64' + (closed ? close.repeat(depth) : '') + t.slice(at(t, r));
      }),
    fc.constant<Mutation>((t) => t.replace(/\n/g, '\r\n')),
    fc.constant<Mutation>((t) => t.replace(/\n/g, '\r')),
  );
}

/** A real source with one to four mutations, or random text outright. */
export function mutatedSource(bases: string[], tokens: string[], limits: Limits = { line: 200_000, depth: 3_000 }): fc.Arbitrary<string> {
  const mutated = fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation(tokens, limits), { minLength: 1, maxLength: 4 }))
    .map(([base, ms]) => ms.reduce((t, m) => m(t), base));
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: codeUnits }, { weight: 1, arbitrary: lenientBytes });
}

export const mutatedRust = (bases = rustFixtureTexts()) => mutatedSource(bases, RUST_TOKENS);
/**
 * The Motoko compiler's own parser is slow on deep nesting (400 nested blocks take seconds with
 * error recovery), which is the compiler's cost, bounded by the worker's timeout: kept small here.
 */
export const mutatedMotoko = (bases = motokoFixtureTexts()) => mutatedSource(bases, MOTOKO_TOKENS, { line: 20_000, depth: 40 });

// ---- Rust crates from templates ----

const RUST_KEYWORDS = new Set(
  'as async await break const continue crate dyn else enum extern false fn for gen if impl in let loop match mod move mut pub ref return self static struct super trait true try type unsafe use where while yield abstract become box do final macro override priv typeof unsized virtual'.split(
    ' ',
  ),
);
const TAKEN_TYPES = new Set([
  'Memory',
  'Bound',
  'Storable',
  'Cow',
  'String',
  'Vec',
  'Option',
  'Cell',
  'RefCell',
  'HashMap',
  'BTreeMap',
  'Self',
  'Serialize',
  'Deserialize',
  'MemoryId',
  'MemoryManager',
  'VirtualMemory',
  'DefaultMemoryImpl',
  'Principal',
  'Box',
  'Result',
]);

const staticName = fc
  .oneof(fc.constantFrom('USERS', 'ORDERS', 'LOG', 'COUNTER', 'STATE', 'USERS_MEMORY_ID', 'MEMORY', 'Ü_NAME'), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,9}$/))
  .filter((n) => n !== 'MEMORY_MANAGER');
const typeName = fc.oneof(fc.constantFrom('Profile', 'Entry', 'Key', 'Value'), fc.stringMatching(/^[A-Z][a-z]{1,8}$/)).filter((n) => !TAKEN_TYPES.has(n));
const fieldName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((n) => !RUST_KEYWORDS.has(n) && n !== '_');

/** Whitespace and comments where Rust allows them: what a real file has between tokens. */
const gap = fc.constantFrom(' ', ' ', '  ', '\n        ', ' /* note */ ', ' /* ünïcödé 😀 */ ', ' // tail\n        ', '\t');
/** Blank lines and comments between items; `keep-N` markers must survive every fix. */
const itemGap = (n: number) => fc.constantFrom('\n', '\n\n', `\n// keep-${n}\n`, `\n/* keep-${n} 😀 */\n`, `\n\n    // keep-${n}: a note\n`);

const structure = fc.record({
  name: staticName,
  kind: fc.constantFrom('StableBTreeMap' as const, 'StableCell' as const, 'StableVec' as const),
  ctor: fc.constantFrom('init' as const, 'init' as const, 'new' as const),
  id: fc.constantFrom(0, 0, 1, 2, 3, 254, 255),
  viaConst: fc.boolean(),
});

const heap = fc.record({
  name: staticName,
  type: fc.constantFrom('RefCell<HashMap<u64, String>>', 'RefCell<Vec<u64>>', 'Cell<u64>', 'RefCell<BTreeMap<String, u64>>', 'RefCell<Vec<String>>'),
  written: fc.boolean(),
});

const storable = fc.record({
  name: typeName,
  fields: fc.uniqueArray(fc.record({ name: fieldName, type: fc.constantFrom('u64', 'u32', 'String', 'Vec<u8>', 'Option<u64>', 'bool') }), {
    minLength: 1,
    maxLength: 3,
    selector: (f) => f.name,
  }),
  maxSize: fc.integer({ min: 1, max: 4096 }),
  fixed: fc.boolean(),
  encoding: fc.constantFrom('cbor', 'candid', 'manual'),
});

export const crateSpec = fc.record({
  version: fc.constantFrom('0.6.9', '0.7.0', undefined),
  structures: fc.uniqueArray(structure, { maxLength: 4, selector: (s) => s.name }),
  heaps: fc.uniqueArray(heap, { maxLength: 3, selector: (h) => h.name }),
  storables: fc.uniqueArray(storable, { maxLength: 2, selector: (s) => s.name }),
  imports: fc.constantFrom('full', 'glob', 'none'),
  header: fc.constantFrom('', '//! Crate docs.\n', '#![allow(dead_code)]\n', '// SPDX-License-Identifier: MIT\n\n', '/* 😀 */\n'),
  init: fc.constantFrom(undefined, '#[init]', '#[ic_cdk::init]', '#[ic_cdk_macros::init]'),
  postUpgrade: fc.boolean(),
  crlf: fc.boolean(),
  gaps: fc.array(gap, { minLength: 16, maxLength: 16 }),
  itemGaps: fc.tuple(...Array.from({ length: 12 }, (_, i) => itemGap(i))),
});

export type CrateSpec = typeof crateSpec extends fc.Arbitrary<infer T> ? T : never;

const ENCODE: Record<string, [string, string]> = {
  cbor: [
    'let mut buf = vec![];\n        ciborium::ser::into_writer(self, &mut buf).unwrap();\n        Cow::Owned(buf)',
    'ciborium::de::from_reader(bytes.as_ref()).unwrap()',
  ],
  candid: ['Cow::Owned(Encode!(self).unwrap())', 'Decode!(bytes.as_ref(), Self).unwrap()'],
  manual: ['Cow::Owned(vec![0u8; 8])', 'unimplemented!()'],
};

/** The text of src/lib.rs and Cargo.toml for a crate spec; names that clash between groups are suffixed. */
export function renderCrate(spec: CrateSpec): { lib: string; cargo: string; markers: string[] } {
  const g = (i: number) => spec.gaps[i % spec.gaps.length];
  const seen = new Set<string>();
  const unique = (n: string) => {
    let name = n;
    for (let i = 2; seen.has(name); i++) name = `${n}_${i}`;
    seen.add(name);
    return name;
  };
  const structures = spec.structures.map((s) => ({ ...s, name: unique(s.name) }));
  const heaps = spec.heaps.map((h) => ({ ...h, name: unique(h.name) }));
  const types = spec.storables.map((s) => ({ ...s, name: unique(s.name) }));
  let k = 0;
  const out: string[] = [];
  const item = (text: string) => out.push(text, spec.itemGaps[k++ % spec.itemGaps.length]);
  const consts = new Map(structures.filter((s) => s.viaConst).map((s) => [s.name, unique(`${s.name}_ID`)]));
  out.push(spec.header);
  if (spec.imports === 'full')
    item(
      'use ic_stable_structures::memory_manager::{MemoryId, MemoryManager, VirtualMemory};\nuse ic_stable_structures::storable::{Bound, Storable};\nuse ic_stable_structures::{DefaultMemoryImpl, StableBTreeMap, StableCell, StableVec};\nuse std::borrow::Cow;\nuse std::cell::{Cell, RefCell};\nuse std::collections::{BTreeMap, HashMap};\nuse candid::{Decode, Encode};\nuse serde::{Deserialize, Serialize};',
    );
  if (spec.imports === 'glob') item('use ic_stable_structures::*;\nuse ic_stable_structures::memory_manager::*;\nuse std::cell::*;\nuse std::collections::*;');
  if (spec.init === '#[init]' && spec.imports !== 'none') item('use ic_cdk::init;');
  item('type Memory = VirtualMemory<DefaultMemoryImpl>;');
  for (const s of structures) if (consts.has(s.name)) item(`const ${consts.get(s.name)}:${g(0)}MemoryId = MemoryId::new(${s.id});`);
  const value = (i: number) => types[i % Math.max(types.length, 1)]?.name ?? 'u64';
  const statics: string[] = [];
  if (structures.length)
    statics.push(
      '    static MEMORY_MANAGER: RefCell<MemoryManager<DefaultMemoryImpl>> =\n        RefCell::new(MemoryManager::init(DefaultMemoryImpl::default()));',
    );
  structures.forEach((s, i) => {
    const memory = `MEMORY_MANAGER.with(|m| m.borrow().get(${g(i + 1)}MemoryId::new(${s.id})${g(i + 2)}))`.replace(
      `MemoryId::new(${s.id})`,
      consts.get(s.name) ?? `MemoryId::new(${s.id})`,
    );
    const type = s.kind === 'StableBTreeMap' ? `StableBTreeMap<u64, ${value(i)}, Memory>` : `${s.kind}<${s.kind === 'StableVec' ? value(i) : 'u64'}, Memory>`;
    const args = s.kind === 'StableCell' ? `${memory}, 0` : memory;
    const unwrap = s.ctor === 'new' && s.kind !== 'StableBTreeMap' && spec.version === '0.6.9' ? '.expect("init")' : '';
    statics.push(`    static${g(i + 3)}${s.name}: RefCell<${type}> =${g(i + 4)}RefCell::new(${s.kind}::${s.ctor}(${args})${unwrap});`);
  });
  heaps.forEach((h, i) => {
    const init = h.type.startsWith('Cell') ? 'Cell::new(0)' : `RefCell::new(${h.type.slice(8, h.type.indexOf('<', 8))}::new())`;
    statics.push(`    // keep-static-${i}\n    static ${h.name}: ${h.type} =${g(i + 5)}${init};`);
  });
  if (statics.length) item(`thread_local! {\n${statics.join('\n')}\n}`);
  for (const t of types) {
    const derive = t.encoding === 'candid' ? '#[derive(candid::CandidType, Deserialize)]' : '#[derive(Serialize, Deserialize)]';
    item(`${derive}\nstruct ${t.name} {${t.fields.map((f) => `\n    ${f.name}:${g(6)}${f.type},`).join('')}\n}`);
    const [to, from] = ENCODE[t.encoding];
    item(
      `impl Storable for ${t.name} {\n    fn to_bytes(&self) -> Cow<'_, [u8]> {\n        ${to}\n    }\n    fn into_bytes(self) -> Vec<u8> {\n        self.to_bytes().into_owned()\n    }\n    fn from_bytes(bytes: Cow<[u8]>) -> Self {\n        ${from}\n    }\n    const BOUND: Bound =${g(7)}Bound::Bounded { max_size: ${t.maxSize}, is_fixed_size:${g(8)}${t.fixed} };\n}`,
    );
  }
  if (spec.init) item(`${spec.init}\nfn setup() {${g(9)}}`);
  if (spec.postUpgrade) item('#[ic_cdk::post_upgrade]\nfn post_upgrade() {}');
  heaps.forEach((h, i) => {
    if (!h.written) return;
    const body = h.type.startsWith('Cell')
      ? `${h.name}.with(|c| c.set(c.get() + 1))`
      : h.type.includes('HashMap')
        ? `${h.name}.with(|m| m.borrow_mut().insert(1, "x".to_string()));`
        : h.type.includes('BTreeMap')
          ? `${h.name}.with(|m| m.borrow_mut().insert("x".to_string(), 1));`
          : `${h.name}.with(|v| v.borrow_mut().push(Default::default()));`;
    item(`#[ic_cdk::update]\nfn write_${i}() {\n    ${body}\n}`);
  });
  let lib = out.join('');
  let cargo = `[package]\nname = "fuzzed"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nic-cdk = "0.17"\ncandid = "0.10"\n${spec.version ? `ic-stable-structures = "${spec.version}"\n` : ''}`;
  if (spec.crlf) {
    lib = lib.replace(/\r?\n/g, '\r\n');
    cargo = cargo.replace(/\n/g, '\r\n');
  }
  const markers = [...new Set(lib.match(/keep-[\w-]+/g) ?? [])];
  return { lib, cargo, markers };
}

// ---- Motoko actors from templates ----

const motokoName = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/)
  .filter(
    (n) =>
      ![
        'actor',
        'let',
        'var',
        'func',
        'async',
        'await',
        'stable',
        'flexible',
        'transient',
        'persistent',
        'system',
        'public',
        'private',
        'query',
        'shared',
        'import',
        'module',
        'object',
        'class',
        'type',
        'if',
        'else',
        'switch',
        'case',
        'loop',
        'while',
        'for',
        'in',
        'do',
        'label',
        'break',
        'continue',
        'return',
        'try',
        'catch',
        'throw',
        'finally',
        'debug',
        'ignore',
        'not',
        'and',
        'or',
        'null',
        'true',
        'false',
        'assert',
        'composite',
        'with',
        'to',
        'include',
        'mixin',
        'weak',
      ].includes(n),
  );

export const actorSpec = fc.record({
  persistent: fc.boolean(),
  fields: fc.uniqueArray(
    fc.record({
      name: motokoName,
      keyword: fc.constantFrom('', 'stable ', 'transient ', 'flexible '),
      kind: fc.constantFrom('var', 'let'),
      value: fc.constantFrom('0', '"x"', '[] : [Text]', 'Map.empty<Nat, Text>()'),
      written: fc.boolean(),
    }),
    { maxLength: 4, selector: (f) => f.name },
  ),
  hooks: fc.subarray(['preupgrade', 'postupgrade']),
  gaps: fc.array(fc.constantFrom(' ', '\n  ', ' /* note */ ', '\n  // keep\n  ', '  '), { minLength: 6, maxLength: 6 }),
});

export type ActorSpec = typeof actorSpec extends fc.Arbitrary<infer T> ? T : never;

export function renderActor(spec: ActorSpec): string {
  const g = (i: number) => spec.gaps[i % spec.gaps.length];
  const fields = spec.fields.map((f, i) => `  ${f.keyword}${f.kind}${g(i)}${f.name} = ${f.value};`);
  const writers = spec.fields
    .filter((f) => f.written && f.kind === 'var')
    .map((f, i) => `  public func set${i}() : async () {${g(i + 1)}${f.name} := ${f.name};\n  };`);
  // A removed hook takes its body along, so its comment is no `keep` marker.
  const hooks = spec.hooks.map((h) => `  system func ${h}() {${g(2).replace('keep', 'body')}};`);
  return `import Map "mo:core/Map";\n\n${spec.persistent ? 'persistent ' : ''}actor${g(3)}Main {\n${[...fields, ...writers, ...hooks].join('\n')}\n};\n`;
}
