import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { initRustParser, parseRust } from '../../server/src/rust/syntax/treeSitter';
import { FIXTURES } from '../harness/fixtures';
import { copyFixture, ensureBuilt, offsetAt, TestClient, uriOf } from './client';

/**
 * Every Rust quick-fix fixture, applied through the protocol as an editor would: ask for the code
 * actions of a diagnostic, apply the rule's own fix, wait for the new diagnostics, repeat. The end
 * result must equal the fixture's `.fixed` side and parse cleanly.
 */
const RULES_DIR = path.join(FIXTURES, 'rules');

interface Case {
  rule: string;
  before: string;
  after: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const rule of fs.readdirSync(RULES_DIR).sort()) {
    for (const entry of fs.readdirSync(path.join(RULES_DIR, rule)).sort()) {
      const m = /^(.*)\.fixed(\.rs)?$/.exec(entry);
      // Motoko fixes have their own protocol test (test/lsp/motoko.test.ts).
      if (m && !entry.endsWith('.mo') && rule !== 'transient-user-data' && rule !== 'upgrade-hook-in-persistent-actor')
        out.push({ rule, before: path.join(RULES_DIR, rule, `${m[1]}${m[2] ?? ''}`), after: path.join(RULES_DIR, rule, entry) });
    }
  }
  return out;
}

function filesOf(dir: string): string[] {
  if (!fs.statSync(dir).isDirectory()) return [dir];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface Flat {
  uri: string;
  range: TextEdit['range'];
  newText: string;
}

function flatten(edit: WorkspaceEdit): Flat[] {
  const out: Flat[] = [];
  for (const dc of edit.documentChanges ?? [])
    if ('edits' in dc) for (const e of dc.edits) if ('newText' in e) out.push({ uri: dc.textDocument.uri, range: e.range, newText: e.newText });
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) for (const e of edits) out.push({ uri, range: e.range, newText: e.newText });
  return out;
}

const before_ = (a: Flat['range']['start'], b: Flat['range']['start']) => a.line - b.line || a.character - b.character;
const same = (a: Flat, b: Flat) =>
  a.uri === b.uri && before_(a.range.start, b.range.start) === 0 && before_(a.range.end, b.range.end) === 0 && a.newText === b.newText;
const overlap = (a: Flat, b: Flat) => a.uri === b.uri && before_(a.range.start, b.range.end) < 0 && before_(b.range.start, a.range.end) < 0;

/** Applies edits: open buffers get one didChange each, other files are written and reported to the watcher. */
async function apply(client: TestClient, edits: Flat[]): Promise<string[]> {
  const byUri = new Map<string, Flat[]>();
  for (const e of edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  const changed: string[] = [];
  for (const [uri, list] of byUri) {
    const file = fileURLToPath(uri);
    // Last edit first, so the earlier ranges stay valid; insertions at one point keep their order.
    const ordered = list
      .map((e, i) => ({ e, i }))
      .sort((a, b) => before_(b.e.range.start, a.e.range.start) || b.i - a.i)
      .map((x) => x.e);
    if (file.endsWith('.rs')) {
      client.change(
        uri,
        ordered.map((e) => ({ range: e.range, text: e.newText })),
      );
      changed.push(uri);
      continue;
    }
    let text = fs.readFileSync(file, 'utf8');
    for (const e of ordered) text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
    fs.writeFileSync(file, text);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
  }
  return changed;
}

/** The first fix of every finding of the rule, as the editor offers them for one version of the files. */
async function offeredFixes(client: TestClient, uris: string[], rule: string): Promise<{ title: string; edits: Flat[] }[]> {
  const out: { title: string; edits: Flat[] }[] = [];
  for (const uri of uris) {
    const { diagnostics } = await client.currentDiagnostics(uri, () => true);
    for (const d of diagnostics.filter((x: Diagnostic) => x.code === rule)) {
      const actions: CodeAction[] = await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const fix = actions.find((a) => a.kind === 'quickfix' && a.edit && !a.title.startsWith('Suppress'));
      if (fix?.edit) out.push({ title: fix.title, edits: flatten(fix.edit) });
    }
  }
  return out;
}

describe('quick fixes through the protocol', () => {
  before(async () => {
    ensureBuilt();
    await initRustParser();
  });

  for (const c of cases()) {
    it(`${c.rule}: ${path.basename(c.before)}`, async () => {
      const single = c.before.endsWith('.rs');
      const dir = single ? copyFixture(path.dirname(c.before)) : copyFixture(c.before);
      // A single-file case runs alone in its folder, as the pure fixture test does.
      if (single) for (const f of filesOf(dir)) if (path.basename(f) !== path.basename(c.before)) fs.rmSync(f);
      const client = await TestClient.start(dir);
      try {
        const uris = filesOf(dir)
          .filter((f) => f.endsWith('.rs'))
          .map((f) => client.open(f));
        // Like "fix all of this rule": one fix per finding, shared insertions merged, overlapping fixes left out.
        const chosen: Flat[] = [];
        const titles: string[] = [];
        for (const fix of await offeredFixes(client, uris, c.rule)) {
          const fresh = fix.edits.filter((e) => !chosen.some((t) => same(t, e)));
          if (fresh.some((e) => chosen.some((t) => overlap(t, e)))) continue;
          chosen.push(...fresh);
          titles.push(fix.title);
        }
        assert.ok(titles.length > 0, 'the server offers no fix of the rule');
        const versions = new Map(uris.map((u) => [u, client.version(u)]));
        for (const uri of await apply(client, chosen)) if (client.version(uri) !== versions.get(uri)) await client.nextDiagnostics(uri, () => true);
        for (const expected of filesOf(c.after)) {
          const rel = path.relative(c.after, expected);
          const actualFile = rel ? path.join(dir, rel) : path.join(dir, path.basename(c.before));
          const uri = uriOf(actualFile);
          const text = actualFile.endsWith('.rs') ? client.text(uri) : fs.readFileSync(actualFile, 'utf8');
          assert.equal(text, fs.readFileSync(expected, 'utf8'), `${rel || path.basename(expected)} after the fixes`);
          if (actualFile.endsWith('.rs')) assert.equal(parseRust(text).rootNode.hasError, false);
        }
        const again = await offeredFixes(client, uris, c.rule);
        assert.deepEqual(
          again.filter((f) => titles.includes(f.title)).map((f) => f.title),
          [],
          'the same fixes are not offered again',
        );
      } finally {
        await client.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
