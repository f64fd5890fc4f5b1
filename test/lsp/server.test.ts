import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Hover,
  type InlayHint,
  type MarkupContent,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { parseMarkers } from '../harness/markers';
import { CLI, copyFixture, ensureBuilt, positionAt, rangeOf, ROOT, TestClient, uriOf } from './client';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'projects', 'lsp-canister');
const DOCS = 'https://github.com/stable-lens/stable-lens/blob/main/docs/rules/';
const HEAP = 'heap-state-lost-on-upgrade';
const is = (rule: string) => (d: Diagnostic) => d.code === rule;

describe('language server over stdio', () => {
  let dir: string;
  let client: TestClient;
  const file = (name: string) => ({ file: path.join(dir, 'src', name), uri: uriOf(path.join(dir, 'src', name)) });
  let lib: ReturnType<typeof file>;
  let memory: ReturnType<typeof file>;
  let types: ReturnType<typeof file>;

  before(async () => {
    ensureBuilt();
    dir = copyFixture(FIXTURE);
    [lib, memory, types] = ['lib.rs', 'memory.rs', 'types.rs'].map(file);
    client = await TestClient.start(dir);
  });

  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes the workspace with progress and watches Rust and manifest files', async () => {
    const token = await client.waitFor('a progress token', (e) => (e.method === 'window/workDoneProgress/create' ? e.params.token : undefined));
    const progress = (kind: string) =>
      client.waitFor(`progress ${kind}`, (e) =>
        e.method === '$/progress' && e.params.token === token && e.params.value.kind === kind ? e.params.value : undefined,
      );
    assert.equal((await progress('begin')).title, 'Stable Lens');
    await progress('end');
    const states = () => client.events.filter((e) => e.method === 'stableLens/status').map((e) => (e.params as { state: string }).state);
    await client.waitFor('the ready status', (e) => (e.method === 'stableLens/status' && (e.params as { state: string }).state === 'ready' ? true : undefined));
    assert.deepEqual(states(), ['indexing', 'ready']);
    const reg = await client.waitFor('the watcher registration', (e) =>
      e.method === 'client/registerCapability' ? e.params.registrations.find((r: any) => r.method === 'workspace/didChangeWatchedFiles') : undefined,
    );
    assert.deepEqual(
      reg.registerOptions.watchers.map((w: any) => w.globPattern),
      ['**/*.rs', '**/Cargo.toml', '**/Cargo.lock', '**/dfx.json', '**/stable-layout.lock.json', '**/*.mo', '**/mops.toml', '**/vessel.dhall', '**/*.most'],
    );
  });

  it('publishes what the fixture markers expect, for files that are not open', async () => {
    const text = fs.readFileSync(lib.file, 'utf8');
    const expected = parseMarkers(text).map((m) => `${m.rule} ${m.line}:${m.column}-${m.endColumn}`);
    const { diagnostics, version } = await client.currentDiagnostics(lib.uri, (ds) => ds.length === expected.length);
    assert.equal(version, undefined, 'a closed file has no version');
    assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`).sort(), expected.sort());
    const heap = diagnostics.find(is(HEAP))!;
    assert.equal(heap.severity, DiagnosticSeverity.Warning);
    assert.equal(heap.source, 'stable-lens');
    assert.equal(heap.codeDescription?.href, `${DOCS}${HEAP}.md`);
    assert.equal((heap.data as any).rule, HEAP);
    assert.deepEqual(diagnostics.find(is('unused-suppression'))!.tags, [DiagnosticTag.Unnecessary]);
    assert.deepEqual(client.latestDiagnostics(memory.uri), []);
  });

  it('updates diagnostics of every file of the crate as either file is edited', async () => {
    client.open(lib.file);
    // SESSIONS in lib.rs takes the value of UPGRADES in memory.rs: the finding lands in memory.rs, which is closed.
    const appeared = client.nextDiagnostics(memory.uri, (ds) => ds.some(is('duplicate-memory-id')));
    client.replace(lib.uri, 'const SESSIONS', 'new(4)', 'new(5)');
    const published = await appeared;
    assert.equal(published.version, undefined);
    const dup = published.diagnostics.find(is('duplicate-memory-id'))!;
    const memoryText = fs.readFileSync(memory.file, 'utf8');
    assert.deepEqual(dup.range, rangeOf(memoryText, 'pub const UPGRADES', '5'));
    assert.equal(dup.severity, DiagnosticSeverity.Error);
    assert.equal(dup.codeDescription?.href, `${DOCS}duplicate-memory-id.md`);
    assert.equal(dup.relatedInformation?.length, 1);
    assert.equal(dup.relatedInformation![0].location.uri, lib.uri);
    assert.deepEqual(dup.relatedInformation![0].location.range, rangeOf(client.text(lib.uri), 'const SESSIONS', '5'));

    const cleared = client.nextDiagnostics(memory.uri, (ds) => ds.length === 0);
    client.replace(lib.uri, 'const SESSIONS', 'new(5)', 'new(4)');
    await cleared;

    // The other way round: editing memory.rs, now open, collides with lib.rs.
    client.open(memory.file);
    const again = client.nextDiagnostics(memory.uri, (ds) => ds.some(is('duplicate-memory-id')));
    client.replace(memory.uri, 'pub const UPGRADES', 'new(5)', 'new(4)');
    assert.equal((await again).version, client.version(memory.uri));
    const clearedAgain = client.nextDiagnostics(memory.uri, (ds) => ds.length === 0);
    client.replace(memory.uri, 'pub const UPGRADES', 'new(4)', 'new(5)');
    await clearedAgain;
  });

  it('hovers a MemoryId const with the crate map, the hovered row in bold', async () => {
    const position = rangeOf(client.text(lib.uri), 'memory::get(SESSIONS)', 'SESSIONS').start;
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: lib.uri }, position });
    const md = (hover.contents as MarkupContent).value;
    assert.ok(md.startsWith('**MemoryId 4** · `SESSIONS`'), md);
    assert.ok(md.includes('| ID | Name | Structure | K | V | K bound | V bound | Encoder | Where |'), md);
    const rows = md.split('\n').filter((l) => /^\| (\*\*)?[0-9?]/.test(l));
    assert.equal(rows.length, 5, md);
    assert.deepEqual(rows.filter((r) => r.includes('**')).length, 1);
    const bold = rows.find((r) => r.includes('**'))!;
    assert.ok(bold.startsWith('| **4** | **`SESSION_MAP`** | **StableBTreeMap** | **`AccountKey`** | **`u64`** |'), bold);
    const users = rows.find((r) => r.includes('USER_MAP'))!;
    assert.equal(users, `| 0 | \`USER_MAP\` | StableBTreeMap | \`u64\` | \`User\` | Bounded, fixed 8 B | Unbounded | CBOR | [lib.rs:12](${lib.uri}#L12) |`);
    assert.ok(md.includes('249 of 255 ids free · next free: 6'), md);
  });

  it('hovers MemoryId::new, a MemoryManager and a stable structure', async () => {
    const memoryText = fs.readFileSync(memory.file, 'utf8');
    const hover = (uri: string, position: unknown) =>
      client.request<Hover>('textDocument/hover', { textDocument: { uri }, position }).then((h) => (h.contents as MarkupContent).value);
    const idHover = await hover(memory.uri, rangeOf(memoryText, 'fn config_memory', 'MemoryId::new(3)').start);
    assert.ok(idHover.startsWith('**MemoryId 3**'), idHover);
    assert.ok(
      idHover.split('\n').some((l) => l.startsWith('| **3** | **`CONFIG`** | **StableCell**')),
      idHover,
    );
    const managerHover = await hover(memory.uri, rangeOf(memoryText, 'static MEMORY_MANAGER', 'MEMORY_MANAGER').start);
    assert.ok(managerHover.startsWith('**MemoryManager `MEMORY_MANAGER`** over `DefaultMemoryImpl::default()`'), managerHover);
    const mapHover = await hover(lib.uri, rangeOf(client.text(lib.uri), 'static USER_MAP', 'USER_MAP').start);
    assert.ok(mapHover.startsWith('**`USER_MAP`** · `StableBTreeMap<u64, User>`'), mapHover);
    assert.ok(mapHover.includes('- Node page size (V2): 1,024 B (a key or value type is unbounded)'), mapHover);
    assert.ok(mapHover.includes('`unbounded 32 B → 128 B`: insert ~63.5k, get ~30.0k'), mapHover);
  });

  it('hovers an impl Storable header with its bound, sizes and costs', async () => {
    const text = fs.readFileSync(types.file, 'utf8');
    const at = (anchor: string) =>
      client.request<Hover>('textDocument/hover', { textDocument: { uri: types.uri }, position: rangeOf(text, anchor, 'Storable').start });
    const user = ((await at('impl Storable for User')).contents as MarkupContent).value;
    for (const part of [
      '**impl Storable for `User`** · Unbounded',
      '| Encoder | CBOR |',
      '1,024 B',
      '35–60k instructions per insert and 17–30k per get',
      'As a StableVec element: not possible',
    ]) {
      assert.ok(user.includes(part), `${part}\n---\n${user}`);
    }
    const key = ((await at('impl Storable for AccountKey')).contents as MarkupContent).value;
    for (const part of [
      '| Max size | 32 B |',
      '| Fixed size | yes |',
      '473 B (⌊0.75 × (191 + 11 × (32 + 8))⌋)',
      '`Blob<32> → Blob<128>`: insert ~44.9k, get ~24.5k',
      'slot size 32 B',
    ]) {
      assert.ok(key.includes(part), `${part}\n---\n${key}`);
    }
  });

  it('shows a code lens above each stable structure', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: lib.uri } });
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        'MemoryId 0 · StableBTreeMap<u64, User> · User: Unbounded (CBOR)',
        'MemoryId 1 (index), 2 (data) · StableLog<Vec<u8>> · Vec<u8>: Unbounded',
        'MemoryId 3 · StableCell<u64> · u64: Bounded, fixed 8 B',
        'MemoryId 4 · StableBTreeMap<AccountKey, u64> · AccountKey: Bounded, fixed 32 B · u64: Bounded, fixed 8 B',
      ],
    );
    assert.ok(lenses.every((l) => l.command?.command === 'stableLens.showMemoryMap'));
    assert.deepEqual(lenses[0].range, rangeOf(client.text(lib.uri), 'static USER_MAP', 'USER_MAP'));
  });

  it('shows the MemoryId hidden behind consts and getters as inlay hints', async () => {
    const text = client.text(lib.uri);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: lib.uri },
      range: { start: positionAt(text, 0), end: positionAt(text, text.length) },
    });
    const after = (anchor: string, find: string) => rangeOf(text, anchor, find).end;
    assert.deepEqual(
      hints.map((h) => [h.label, h.position]),
      [
        ['= 0', after('memory::get(USERS)', 'USERS')],
        ['= 1', after('memory::get(LOG_INDEX)', 'LOG_INDEX')],
        ['= 2', after('memory::get(LOG_DATA)', 'LOG_DATA')],
        ['= 3', after('memory::config_memory()', 'memory::config_memory()')],
        ['= 4', after('memory::get(SESSIONS)', 'SESSIONS')],
      ],
    );
    assert.ok(hints.every((h) => h.paddingLeft));
  });

  it('answers stableLens/memoryMap with exactly what `stable-lens map --json` prints', async () => {
    const json = await client.request('stableLens/memoryMap', {});
    const cli = spawnSync(process.execPath, [CLI, 'map', '.', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(json, JSON.parse(cli.stdout));
    assert.equal(json.canisters.length, 1);
    assert.deepEqual(await client.request('stableLens/memoryMap', { uri: types.uri }), json);
    assert.deepEqual(await client.request('stableLens/memoryMap', { uri: uriOf(path.join(path.dirname(dir), 'elsewhere')) }), { version: 1, canisters: [] });
    assert.deepEqual(await client.request('stableLens/memoryMap', null), json);
  });

  it('suppresses a finding through a code action, after its fixes and before its docs', async () => {
    const heap = client.latestDiagnostics(lib.uri).find(is(HEAP))!;
    const all = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: lib.uri },
      range: heap.range,
      context: { diagnostics: [heap] },
    });
    // The file-wide "fix all" follows the quick fixes of the diagnostic.
    const actions = all.filter((a) => a.kind === 'quickfix');
    assert.deepEqual(
      actions.slice(-2).map((a) => a.title),
      [`Suppress ${HEAP} on this line`, `Show documentation for ${HEAP}`],
    );
    assert.deepEqual(actions[actions.length - 1].command, {
      title: `Show documentation for ${HEAP}`,
      command: 'stableLens.showDocs',
      arguments: [`${DOCS}${HEAP}.md`],
    });
    const suppress = actions[actions.length - 2];
    assert.equal(suppress.kind, 'quickfix');
    const [docEdit] = suppress.edit!.documentChanges as TextDocumentEdit[];
    assert.deepEqual(docEdit.textDocument, { uri: lib.uri, version: client.version(lib.uri) });
    const line = heap.range.start.line;
    assert.deepEqual(docEdit.edits, [
      { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `    // stable-lens-ignore ${HEAP}: <reason>\n` },
    ]);

    const gone = client.nextDiagnostics(lib.uri, (ds) => !ds.some(is(HEAP)));
    client.change(
      lib.uri,
      docEdit.edits.map((e) => ({ range: e.range, text: e.newText })),
    );
    const after = await gone;
    assert.equal(after.version, client.version(lib.uri));
    assert.equal(after.diagnostics.filter(is('unused-suppression')).length, 1, 'the new comment is used');

    const back = client.nextDiagnostics(lib.uri, (ds) => ds.some(is(HEAP)));
    client.change(lib.uri, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
    await back;
  });

  it('applies setting changes without a restart', async () => {
    const pulls = () => client.events.filter((e) => e.method === 'workspace/configuration').length;
    const before = pulls();
    const gone = client.nextDiagnostics(lib.uri, (ds) => !ds.some(is(HEAP)) && ds.length > 0);
    client.settings = { rules: { [HEAP]: 'off' } };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await gone;
    assert.ok(pulls() > before, 'settings are pulled again');

    const allGone = client.nextDiagnostics(lib.uri, (ds) => ds.length === 0);
    client.settings = { enable: false };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await allGone;
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri: lib.uri } }), []);

    const hintsRange = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };
    const back = client.nextDiagnostics(lib.uri, (ds) => ds.some(is(HEAP)));
    client.settings = { inlayHints: { enable: false } };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await back;
    assert.deepEqual(await client.request('textDocument/inlayHint', { textDocument: { uri: lib.uri }, range: hintsRange }), []);
    await client.waitFor('an inlay hint refresh', (e) => (e.method === 'workspace/inlayHint/refresh' ? true : undefined));
    client.settings = {};
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: lib.uri }, range: hintsRange })).length, 5);
  });

  it('re-indexes files the watcher reports as created, changed or deleted', async () => {
    const audit = path.join(dir, 'src', 'audit.rs');
    const write = (id: number) =>
      fs.writeFileSync(audit, `use ic_stable_structures::memory_manager::MemoryId;\n\npub const AUDIT: MemoryId = MemoryId::new(${id});\n`);
    const notify = (type: number) => void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(audit), type }] });

    write(5);
    const appeared = client.nextDiagnostics(memory.uri, (ds) => ds.some(is('duplicate-memory-id')));
    notify(1);
    assert.equal((await appeared).diagnostics[0].relatedInformation![0].location.uri, uriOf(audit));

    write(6);
    const cleared = client.nextDiagnostics(memory.uri, (ds) => ds.length === 0);
    notify(2);
    await cleared;

    write(5);
    const again = client.nextDiagnostics(memory.uri, (ds) => ds.some(is('duplicate-memory-id')));
    notify(2);
    await again;
    fs.rmSync(audit);
    const deleted = client.nextDiagnostics(memory.uri, (ds) => ds.length === 0);
    notify(3);
    await deleted;
  });

  it('analyses a buffer that was never saved with its crate, until it closes', async () => {
    const draft = path.join(dir, 'src', 'draft.rs');
    const appeared = client.nextDiagnostics(memory.uri, (ds) => ds.some(is('duplicate-memory-id')));
    const uri = client.open(draft, 'use ic_stable_structures::memory_manager::MemoryId;\n\npub const DRAFT: MemoryId = MemoryId::new(5);\n');
    assert.equal((await appeared).diagnostics[0].relatedInformation![0].location.uri, uri);
    const cleared = client.nextDiagnostics(memory.uri, (ds) => ds.length === 0);
    client.close(uri);
    await cleared;
  });
});
