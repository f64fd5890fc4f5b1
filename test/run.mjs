// Runs every test/**/*.test.ts file with node's test runner (Node 20 has no glob support in --test).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const only = process.argv.slice(2);
function find(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'e2e' ? [] : find(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}
const files = find('test')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(res.status ?? 1);
