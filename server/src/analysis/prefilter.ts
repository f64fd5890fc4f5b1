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
