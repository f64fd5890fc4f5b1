/**
 * Words without which a Rust file cannot hold anything the rules look at directly: stable
 * structures, memory ids, Storable impls, state statics, upgrade hooks, suppressions. A file with
 * none of them is not parsed unless a lookup needs a name it defines (a struct, a const, a helper).
 */
const TOKENS = ['thread_local', 'lazy_static', 'Storable', 'Memory', 'ic_stable', 'Stable', 'stable_', 'upgrade', '[init', 'init]', '::init', 'canister_', 'stable-lens-ignore', 'reclaim_memory', 'OnceCell', 'OnceLock'];

/** `static` as an item keyword; the `'static` lifetime does not count. */
function hasStaticItem(text: string): boolean {
  for (let i = text.indexOf('static'); i >= 0; i = text.indexOf('static', i + 6)) {
    if (text[i - 1] !== "'" && !/\w/.test(text[i - 1] ?? '') && !/\w/.test(text[i + 6] ?? '')) return true;
  }
  return false;
}

export function mentionsStableState(text: string): boolean {
  return TOKENS.some((t) => text.includes(t)) || hasStaticItem(text);
}
