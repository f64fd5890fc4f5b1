// Where the e2e tools live: test/e2e/setup.sh installs them into one cache folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'e2e', 'artifacts');
export const VSIX = path.join(ROOT, 'stable-lens.vsix');
export const EXAMPLES = path.join(ROOT, 'examples');

// Keep these in step with test/e2e/setup.sh.
const CACHE = process.env.STABLE_LENS_E2E_DIR ?? path.join(os.homedir(), '.cache', 'stable-lens-e2e');
export const NODE24_BIN = path.join(CACHE, 'node-24.21.0', 'bin');
export const CODE_SERVER = path.join(CACHE, 'code-server-4.139.1', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';
export const NVIM = '/usr/bin/nvim';

/** Fails early with the command to run when a tool is missing, instead of a puzzling time-out later. */
export function requireFiles(...files: string[]): void {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run \`npm run test:e2e\`, which installs and builds them`);
}

/** A copy of the examples workspace, named `examples` as in the screenshots: quick fixes are saved to disk. */
export function copyExamples(): { dir: string; workspace: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-e2e-ws-'));
  const workspace = path.join(dir, 'examples');
  fs.cpSync(EXAMPLES, workspace, { recursive: true, filter: (src) => path.basename(src) !== 'target' });
  return { dir, workspace };
}
