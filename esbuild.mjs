// Bundles the extension client, the language server and the CLI into dist/, and copies the
// tree-sitter .wasm files next to them (the parser loads them from the bundle's folder).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // jsonc-parser's default entry is a UMD build whose dynamic requires esbuild cannot follow.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  // web-tree-sitter is ESM and reads import.meta.url, which a CJS bundle lacks: give it the bundle's own URL.
  define: { STABLE_LENS_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('url').pathToFileURL(__filename).href;" },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The Motoko compiler (2.8 MB) is bundled into its worker only; the server and CLI start that worker.
  // They load `motoko` in their own thread only when no worker bundle sits next to them (running from
  // sources), so the installed package needs no `motoko` dependency.
  { entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js', external: ['motoko', 'motoko/*'] },
  {
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    external: ['motoko', 'motoko/*'],
    banner: { js: `#!/usr/bin/env node\n${"var __bundleUrl = require('url').pathToFileURL(__filename).href;"}` },
  },
  // The compiler's package fetcher requires Node's `punycode`, deprecated since Node 21 with a warning
  // on every start; the same code from npm replaces it.
  {
    entryPoints: ['server/src/motoko/compiler/worker.ts'],
    outfile: 'dist/motokoWorker.js',
    alias: { ...common.alias, punycode: './node_modules/punycode.js/punycode.js' },
  },
].filter((e) => fs.existsSync(e.entryPoints[0]));

function copyWasm() {
  fs.mkdirSync('dist', { recursive: true });
  for (const spec of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-rust/tree-sitter-rust.wasm']) {
    const from = require.resolve(spec);
    fs.copyFileSync(from, path.join('dist', path.basename(from)));
  }
}

copyWasm();
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  console.log('watching...');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  fs.chmodSync('dist/cli.js', 0o755);
}
