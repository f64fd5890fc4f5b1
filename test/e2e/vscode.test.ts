// The packaged .vsix in a real VS Code (code-server) driven through headless Chromium:
// diagnostics, hover, the Stable Memory view and quick fixes, as a person sees them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { startCodeServer, type CodeServer } from './lib/codeServer';
import { ARTIFACTS, CHROMIUM, CODE_SERVER, copyExamples, requireFiles, ROOT, VSIX } from './lib/env';
import { waitFor, Workbench } from './lib/workbench';

const LIB = 'src/profiles/src/lib.rs';
const MEMORY = 'src/profiles/src/memory.rs';
// STABLE_LENS_E2E_DOCS=1 also refreshes the README's screenshots in docs/images/.
const UPDATE_DOCS = process.env.STABLE_LENS_E2E_DOCS === '1';

describe('VS Code (code-server 4.139.1) with stable-lens.vsix', { timeout: 600_000 }, () => {
  let tmp: string | undefined;
  let server: CodeServer | undefined;
  let bench: Workbench;
  const consoleErrors: string[] = [];

  /** Runs one step; on failure keeps a screenshot of the window as it was. */
  const step = (name: string, fn: (t: TestContext) => Promise<void>) =>
    it(name, async (t) => {
      const t0 = Date.now();
      try {
        await fn(t);
      } catch (e) {
        await bench?.shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        throw e;
      } finally {
        t.diagnostic(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    });

  before(async () => {
    requireFiles(CODE_SERVER, CHROMIUM, VSIX);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    if (UPDATE_DOCS) fs.mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
    const copy = copyExamples();
    tmp = copy.dir;
    server = await startCodeServer(copy.workspace, VSIX);
    bench = await Workbench.open(server.url);
    bench.page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });

  after(async () => {
    await bench?.close().catch(() => undefined);
    await server?.stop();
    // Kept for a failed run: the extension host's and the language client's logs.
    if (server) fs.writeFileSync(path.join(ARTIFACTS, 'code-server.log'), server.logs());
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  step('activates: the status bar item turns ready', async () => {
    const item = bench.statusItem('stable-lens.stable-lens.stableLens.status');
    await waitFor(
      'the Stable Lens status bar item to say ready',
      async () => (await item.getAttribute('aria-label'))?.includes('Stable Lens is ready'),
      60_000,
    );
    assert.match(await item.innerText(), /Stable Lens/);
  });

  step('lists Stable Lens diagnostics in the Problems panel', async () => {
    await bench.openFile(LIB);
    // Rows read "message  stable-lens(rule)  [Ln, Col]"; the filter keeps the list short, since it only renders what fits.
    const rows = await bench.problems('duplicate-memory-id');
    const row = rows.filter({ hasText: 'MemoryId 0 already feeds StableBTreeMap `PROFILES`' });
    await row.first().waitFor({ timeout: 60_000 });
    assert.match(await row.first().innerText(), /stable-lens\s*\(?duplicate-memory-id\)?\s*\[Ln 17, Col 43\]/);
    // The related location of the first use is listed under it.
    await rows.filter({ hasText: 'MemoryId 0 is first used by StableBTreeMap `PROFILES`' }).first().waitFor();
    // Every finding of this file, warnings too, and squiggles in the editor.
    const all = await bench.problems(`**/${LIB}`);
    for (const text of [
      '`FOLLOWS` is saved in pre_upgrade',
      '`StableBTreeMap::new` in a `thread_local!` initializer erases `AVATARS`',
      '`init` has no `#[post_upgrade]` counterpart',
    ]) {
      await all.filter({ hasText: text }).first().waitFor();
    }
    await waitFor('error squiggles in lib.rs', async () => (await bench.page.locator('.editor-group-container.active .squiggly-error').count()) > 0);
    // Line 24 in the middle shows the duplicate id and the heap statics for the screenshot.
    await bench.goto(24, 1);
    await bench.page.mouse.move(1, 1);
    const shot = await bench.shot('01-problems');
    if (UPDATE_DOCS) fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'problems.png'));
  });

  step('shows the MemoryId table on hover over a MemoryId const', async () => {
    await bench.openFile(MEMORY);
    await bench.hidePanel();
    const hover = await bench.hover('pub const PROFILES_MEMORY_ID', 'PROFILES_MEMORY_ID', 'Structure');
    const headers = await hover.locator('table th').allInnerTexts();
    assert.deepEqual(
      headers.slice(0, 3).map((h) => h.trim()),
      ['ID', 'Name', 'Structure'],
    );
    const rows = await hover.locator('table tbody tr').allInnerTexts();
    const cells = rows.map((r) => r.split('\t').map((c) => c.trim()));
    assert.ok(
      cells.some((c) => c[0] === '0' && c[1] === 'PROFILES' && c[2] === 'StableBTreeMap'),
      `no PROFILES row for id 0 in ${JSON.stringify(cells)}`,
    );
    assert.ok(
      cells.some((c) => c[0] === '0' && c[1] === 'HANDLES'),
      `no HANDLES row for id 0 in ${JSON.stringify(cells)}`,
    );
    // Taller and wider, so the whole table shows in the screenshot.
    await bench.growHover(100, 200);
    assert.match(await hover.innerText(), /ids free/);
    const shot = await bench.shot('02-hover');
    if (UPDATE_DOCS) fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'hover.png'));
    await bench.page.mouse.move(1, 1);
  });

  step('lists the MemoryIds in the Stable Memory view', async () => {
    await bench.command('Stable Lens: Show Memory Map');
    // Collapse the file tree so the view gets the height: a tree only draws the rows that fit.
    await bench.collapsePane('Explorer Section');
    const rows = bench.viewRows('Stable Memory');
    const text = async () => (await rows.allInnerTexts()).join('\n');
    // Canisters come in name order: ledger, profiles, vault.
    await waitFor('the ledger canister with MemoryId 0 for BALANCE_MAP', async () => /ledger[\s\S]*MemoryId 0\s*BALANCE_MAP/.test(await text()));
    await bench.shot('03-memory-map');
    await rows
      .filter({ hasText: /^ledger/ })
      .first()
      .click();
    await waitFor('the profiles canister with MemoryId 0 shared by PROFILES and HANDLES', async () => {
      const t = await text();
      return /profiles[\s\S]*MemoryId 0\s*PROFILES, HANDLES — shared!/.test(t) && /MemoryId 2\s*AVATARS/.test(t);
    });
    await bench.shot('04-memory-map-profiles');
  });

  step('applies the quick fix "Use StableBTreeMap::init" and its diagnostic goes away', async () => {
    await bench.openFile(LIB);
    const rows = await bench.problems('stable-structure-new-wipes-data');
    await rows.filter({ hasText: 'AVATARS' }).first().waitFor();
    const actions = await bench.codeActions(21, 38);
    await bench.shot('05-quick-fix-menu');
    await actions.filter({ hasText: 'StableBTreeMap::init' }).first().click();
    await waitFor(
      'the AVATARS line to use init',
      async () => (await bench.line('RefCell::new(StableBTreeMap::init(memory::get(AVATARS_MEMORY_ID').count()) > 0,
    );
    // The file's other findings stay; this one goes.
    const all = await bench.problems(`**/${LIB}`);
    await all.filter({ hasText: 'MemoryId 0 already feeds' }).first().waitFor();
    await waitFor('the AVATARS diagnostic to leave the Problems panel', async () => (await all.filter({ hasText: 'erases `AVATARS`' }).count()) === 0);
    await bench.shot('06-quick-fix-init-applied');
  });

  // FOLLOWS holds Vec<Principal>, which has no Storable impl, and SETTINGS, which only init sets up,
  // is reported once, by missing-post-upgrade: the conversion is applied to the counter NEXT_EVENT_ID.
  step('applies the quick fix "Convert to StableCell" on NEXT_EVENT_ID and its diagnostic goes away', async () => {
    await bench.openFile(LIB);
    const rows = await bench.problems('heap-state-lost-on-upgrade');
    await rows.filter({ hasText: '`NEXT_EVENT_ID`' }).first().waitFor();
    const actions = await bench.codeActions(30, 12);
    const titles = await actions.allInnerTexts();
    await bench.shot('07-quick-fix-convert-menu');
    const convert = actions.filter({ hasText: 'Convert to StableCell' });
    assert.ok((await convert.count()) > 0, `no "Convert to StableCell" among ${JSON.stringify(titles)}`);
    await convert.first().click();
    await waitFor('the NEXT_EVENT_ID line to hold a StableCell', async () => /StableCell/.test(await bench.line('static NEXT_EVENT_ID').innerText()));
    // FOLLOWS keeps its finding of the same rule: the panel is live and only NEXT_EVENT_ID left it.
    await rows.filter({ hasText: '`FOLLOWS`' }).first().waitFor();
    await waitFor(
      'the NEXT_EVENT_ID heap-state diagnostic to leave the Problems panel',
      async () => (await rows.filter({ hasText: '`NEXT_EVENT_ID`' }).count()) === 0,
    );
    // The Stable Memory view follows the edit: NEXT_EVENT_ID now has a MemoryId of its own.
    const view = bench.viewRows('Stable Memory');
    await waitFor('NEXT_EVENT_ID in the Stable Memory view', async () => /MemoryId \d+\s*NEXT_EVENT_ID/.test((await view.allInnerTexts()).join('\n')));
    await bench.shot('08-quick-fix-convert-applied');
  });

  // Last of the view's steps: the reveal scrolls the view, and the list only draws the rows that fit.
  step('shows a code lens above each structure that selects its row in the Stable Memory view', async () => {
    await bench.openFile(LIB);
    const lenses = bench.page.locator('.editor-group-container.active .codelens-decoration');
    const titles = async () => (await lenses.allInnerTexts()).map((t) => t.trim());
    await waitFor(
      'the code lenses of lib.rs',
      async () => {
        // Lenses resolve one by one: the converted counter's comes with the file's next analysis.
        const now = await titles();
        return now.some((t) => t.startsWith('MemoryId 2 · StableBTreeMap<Principal, AvatarHash>')) && now.some((t) => t.includes('StableCell<u64>'));
      },
      60_000,
    );
    const all = await titles();
    // NEXT_EVENT_ID, converted by the quick fix above, has a lens of its own now.
    for (const title of [
      /^MemoryId 0 · StableBTreeMap<String, Principal> · Principal: Bounded ≤ 29 B$/,
      /^MemoryId 3 \(index\), 4 \(data\) · StableLog<Event> · Event: Bounded, fixed 64 B \(CBOR\)$/,
      /^MemoryId \d+ · StableCell<u64>/,
    ]) {
      assert.ok(
        all.some((t) => title.test(t)),
        `no lens ${title} among ${JSON.stringify(all)}`,
      );
    }
    await lenses.filter({ hasText: 'StableBTreeMap<Principal, AvatarHash>' }).locator('a').first().click();
    const row = bench
      .viewRows('Stable Memory')
      .filter({ hasText: /^\s*AVATARS/ })
      .first();
    await waitFor('the AVATARS row to be selected in the Stable Memory view', async () =>
      /\bselected\b/.test((await row.getAttribute('class').catch(() => null)) ?? ''),
    );
    await bench.shot('01b-code-lens-reveal');
  });

  step('logs no error from Stable Lens and no duplicate command', async () => {
    const logs = server!.logs();
    assert.match(logs, /_doActivateExtension stable-lens\.stable-lens/);
    // The marketplace and telemetry hosts do not resolve here; nothing else may fail.
    const errors = logs
      .split('\n')
      .filter((l) => /\[error\]|already exists|already registered|Activating extension .* failed/i.test(l) && !/ENOTFOUND|getaddrinfo/.test(l));
    assert.deepEqual(errors, []);
    assert.deepEqual(
      consoleErrors.filter((m) => /stable.?lens|already exists/i.test(m)),
      [],
    );
  });
});
