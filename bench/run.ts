/**
 * `npm run bench`: generates synthetic canister workspaces and prints the figures the issues ask for.
 * Results go to bench/results.json (not committed). Figures, not tests: nothing here fails a build.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bigFile, generate } from './generate';
import { checkVsGrep, indexFigures } from './index';
import { bigFileWorkspace, editorLatency, indexedRss } from './lsp';
import { motokoLspFigures } from './motokoLsp';
import { ensureBuilt, CLI } from '../test/lsp/client';

const WORK = path.join(__dirname, '.work');
const quick = process.argv.includes('--quick');

async function main(): Promise<void> {
  ensureBuilt();
  fs.mkdirSync(WORK, { recursive: true });
  const results: Record<string, unknown> = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    date: new Date().toISOString(),
  };
  // Latency first, while this process is small: the in-process index figures below grow its heap,
  // and its garbage collections would land in the keystroke timings it takes.
  const big = bigFileWorkspace(path.join(WORK, 'big-10k'), 10_000, bigFile);
  const lat = await editorLatency(big.workspace, big.file);
  Object.assign(results, {
    keystroke_p50_ms: lat.keystrokeP50,
    keystroke_p95_ms: lat.keystrokeP95,
    hover_p95_ms: lat.hoverP95,
    code_action_p95_ms: lat.codeActionP95,
    rss_mb_10k_file: lat.rssMb,
    rss_growth_mb_after_10k_edits: lat.rssGrowthMb,
  });
  try {
    // Through the real server, as a user feels it: Motoko check latency, and Rust typing while Motoko checks.
    Object.assign(results, await motokoLspFigures(WORK));
  } catch (e) {
    results.motoko_lsp_note = `Motoko LSP figures not measured: ${(e as Error).message}`;
  }
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 500_000];
  const rows: string[][] = [['workspace', 'files', 'parse ms', 'index ms', 'index/parse']];
  for (const lines of sizes) {
    const dir = path.join(WORK, `ws-${lines}`);
    const { files } = generate(dir, { lines });
    const f = await indexFigures(dir, lines > 100_000 ? 1 : 3);
    rows.push([`${lines / 1000}k lines`, String(files), String(f.parseMs), String(f.indexMs), String(f.ratio)]);
    if (lines === 100_000) {
      Object.assign(results, { index_over_parse: f.ratio, index_ms_100k: f.indexMs, parse_ms_100k: f.parseMs });
      const g = checkVsGrep(dir, CLI);
      Object.assign(results, { check_ms_100k: g.checkMs, grep_ms_100k: g.grepMs, check_over_grep: g.ratio });
      results.rss_mb_100k = await indexedRss(dir);
    }
  }
  try {
    // The Motoko figures live in their own module, loaded only when it is there.
    const { motokoFigures } = (await import(path.join(__dirname, 'motoko'))) as { motokoFigures(dir: string): Promise<Record<string, unknown>> };
    Object.assign(results, await motokoFigures(WORK));
  } catch (e) {
    results.motoko_note = `Motoko figures not measured: ${(e as Error).message}`;
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(rows.map((r) => r.map((c, i) => c.padStart(widths[i])).join('  ')).join('\n'));
  console.log('');
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(34)} ${v}`);
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
