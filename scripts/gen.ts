/**
 * Writes what is generated from the rule registry: docs/rules/<id>.md, the rule table in
 * docs/rules/README.md and the rule settings in package.json. `--check` reports drift instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from './generated';

const check = process.argv.includes('--check');
const root = path.join(__dirname, '..');
let drift = 0;
for (const [rel, content] of generatedFiles(root)) {
  const file = path.join(root, rel);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    console.error(`out of date: ${rel} (run npm run gen)`);
    drift++;
    continue;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
  console.log(`wrote ${rel}`);
}
for (const stale of fs.readdirSync(path.join(root, 'docs/rules'))) {
  const rel = `docs/rules/${stale}`;
  if (!generatedFiles(root).has(rel)) {
    if (check) {
      console.error(`stale: ${rel}`);
      drift++;
    } else {
      fs.unlinkSync(path.join(root, rel));
      console.log(`removed ${rel}`);
    }
  }
}
process.exitCode = drift ? 1 : 0;
