import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { externalImports } from '../server/src/motoko/project/externalFiles';
import { analyzeMotoko, motokoFindings } from './harness/motoko';

describe('Motoko files outside the project folder', () => {
  it('are given to the compiler when the project imports them, so they raise no M0009', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-ext-')));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('shared/Types.mo', 'import Inner "Inner";\nmodule { public type Entry = Inner.Entry };\n');
    write('shared/Inner/lib.mo', 'module { public type Entry = { text : Text } };\n');
    write('app/mops.toml', '[toolchain]\nmoc = "1.10.1"\n');
    write(
      'app/main.mo',
      'import Types "../shared/Types";\npersistent actor {\n  var entries : [Types.Entry] = [];\n  public func add(text : Text) : async () { entries := [{ text }] };\n};\n',
    );
    const app = path.join(dir, 'app');
    assert.deepEqual(externalImports(app, [path.join(app, 'main.mo')]), [path.join(dir, 'shared/Inner/lib.mo'), path.join(dir, 'shared/Types.mo')]);
    const { projects } = await analyzeMotoko(app);
    assert.deepEqual(
      motokoFindings(projects).map((f) => `${f.rule} ${f.message}`),
      [],
    );
  });
});
