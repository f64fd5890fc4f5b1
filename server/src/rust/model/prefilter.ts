import type { UnitPicker } from './extract';
import { LIBRARY_NAMES } from './structures';

/**
 * Words without which a Rust file cannot hold anything the rules look at directly: stable
 * structures, memory ids, Storable impls, state statics, upgrade hooks, raw stable memory calls,
 * suppressions. A file with none of them is not parsed unless a lookup needs a name it defines
 * (a struct, a const, a helper).
 */
const TOKENS = [
  'thread_local',
  'lazy_static',
  'Storable',
  'Memory',
  'ic_stable',
  'Stable',
  'stable_',
  'stable64',
  'custom_data',
  'init_allocator',
  'upgrade',
  '[init',
  'init]',
  '::init',
  'canister_',
  'stable-lens-ignore',
  'reclaim_memory',
  'OnceCell',
  'OnceLock',
];

/**
 * Any token, or `static` as an item keyword (the `'static` lifetime does not count), in one pass:
 * most files hold none, and one `includes` per token read each of them twenty times.
 */
const ANY_TOKEN = new RegExp([...TOKENS.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), "(?<![\\w'])static(?!\\w)"].join('|'));

export function mentionsStableState(text: string): boolean {
  return ANY_TOKEN.test(text);
}

const STABLE_CRATES = ['ic_stable_structures', 'ic_stable_memory'];

/**
 * Picks the units of a file that the rules read directly: those with one of the file test's
 * words, or with a name this file gives a stable library item (`use ic_stable_structures::Vec as
 * SVec`, a glob import's `Vec`) or a stable type (`type Users = StableBTreeMap<..>`). The other
 * units are read when a lookup by name needs them.
 */
export const hotUnits: UnitPicker = ({ text, uses, aliases }) => {
  const names = new Set<string>();
  for (const u of uses) {
    if (!STABLE_CRATES.some((c) => u.path === c || u.path.startsWith(`${c}::`))) continue;
    if (u.isGlob) Object.keys(LIBRARY_NAMES).forEach((n) => names.add(n));
    else names.add(u.local);
  }
  const mentions = (src: string, words: string[]) => mentionsStableState(src) || words.some((n) => src.includes(n));
  // An alias may name another alias of the file, so a second pass catches what the first made stable.
  for (let pass = 0; pass < 2; pass++) for (const a of aliases) if (mentions(a.type.text, [...names])) names.add(a.name);
  const words = [...names];
  return (unit) => mentions(text.slice(unit.start, unit.end), words);
};
