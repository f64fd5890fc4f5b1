import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Node, type Range, type Tree, type TreeCursor } from 'web-tree-sitter';

export type { Language, Node, Tree, TreeCursor };

const RUST_WASM = 'tree-sitter-rust.wasm';
const RUNTIME_WASM = 'web-tree-sitter.wasm';

let parser: Parser | undefined;
let initializing: Promise<void> | undefined;

/**
 * Finds the folder that holds both .wasm files: the bundle's own folder (dist/), or, when the
 * sources run directly (tests), the dist/ of the nearest folder above them that has one, so the
 * answer does not depend on how deep this file sits.
 */
export function findWasmDir(): string {
  const has = (dir: string) => fs.existsSync(path.join(dir, RUST_WASM)) && fs.existsSync(path.join(dir, RUNTIME_WASM));
  if (has(__dirname)) return __dirname;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (has(path.join(dir, 'dist'))) return path.join(dir, 'dist');
    if (path.dirname(dir) === dir) return '';
  }
}

/** Both packages export their .wasm file as a subpath, so require.resolve finds it without a bundle. */
function nodeModulesFile(pkg: string, file: string): string {
  try {
    return require.resolve(`${pkg}/${file}`);
  } catch {
    return path.join(process.cwd(), 'node_modules', pkg, file);
  }
}

/** Loads the tree-sitter runtime and the Rust grammar once per process. */
export function initRustParser(wasmDir = findWasmDir()): Promise<void> {
  if (parser) return Promise.resolve();
  initializing ??= (async () => {
    const runtime = wasmDir ? path.join(wasmDir, RUNTIME_WASM) : nodeModulesFile('web-tree-sitter', RUNTIME_WASM);
    const grammar = wasmDir ? path.join(wasmDir, RUST_WASM) : nodeModulesFile('tree-sitter-rust', RUST_WASM);
    // Checked up front: the wasm runtime's own error for a missing file is long and unclear.
    for (const file of [runtime, grammar]) if (!fs.existsSync(file)) throw new Error(`${path.basename(file)} not found (looked at ${file})`);
    await Parser.init({ locateFile: () => runtime });
    const rust = await Language.load(fs.readFileSync(grammar));
    const p = new Parser();
    p.setLanguage(rust);
    parser = p;
  })();
  return initializing;
}

function rustParser(): Parser {
  if (!parser) throw new Error('the Rust parser is not initialised: call initRustParser() first');
  return parser;
}

export function parseRust(text: string, oldTree?: Tree): Tree {
  const tree = rustParser().parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/**
 * Parses the inside of a macro token tree (the `{ ... }` of `thread_local!`) as Rust items.
 * Included ranges keep every node's offsets in the coordinates of the whole file.
 */
export function parseRustRange(text: string, tokenTree: Node): Tree | undefined {
  const open = tokenTree.firstChild;
  const close = tokenTree.lastChild;
  if (!open || !close || open === close || open.endIndex >= close.startIndex) return undefined;
  const range: Range = {
    startIndex: open.endIndex,
    endIndex: close.startIndex,
    startPosition: open.endPosition,
    endPosition: close.startPosition,
  };
  // The parser reads the text in chunks from where it asks; ending them at the range spares copying the rest of the file.
  return rustParser().parse((index) => (index < range.endIndex ? text.slice(index, range.endIndex) : ''), null, { includedRanges: [range] }) ?? undefined;
}
