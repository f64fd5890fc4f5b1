/**
 * Writes `<case>.fixed.rs` (or `<case>.fixed/`) for a quick-fix fixture by applying the rule's fixes,
 * like clippy's bless: review the result in the diff. Usage: node --import tsx scripts/bless-fix.ts RULE CASE
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFixes, chooseFixes } from '../server/src/core/fixEngine';
import { analyzePaths } from '../server/src/check/rustProject';
import { initRustParser } from '../server/src/rust/syntax/treeSitter';

async function main(): Promise<void> {
  const [rule, name] = process.argv.slice(2);
  const dir = path.join(__dirname, '..', 'test', 'fixtures', 'rules', rule);
  const src = fs.existsSync(path.join(dir, `${name}.rs`)) ? path.join(dir, `${name}.rs`) : path.join(dir, name);
  const dest = src.endsWith('.rs') ? src.replace(/\.rs$/, '.fixed.rs') : `${src}.fixed`;
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(src, dest, { recursive: true });
  await initRustParser();
  const result = analyzePaths([dest], { config: { rules: {} }, warn: (m) => console.error(m) });
  const findings = result.crates.flatMap((c) => c.findings).filter((f) => f.rule === rule);
  const fixes = chooseFixes(findings, () => true);
  const files = fs.statSync(dest).isDirectory()
    ? fs
        .readdirSync(dest, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
    : [dest];
  const out = applyFixes(new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')])), fixes);
  for (const [file, text] of out) fs.writeFileSync(file, text);
  console.log(`${fixes.length} fix(es) applied: ${fixes.map((f) => f.title).join('; ')}`);
}

void main();
