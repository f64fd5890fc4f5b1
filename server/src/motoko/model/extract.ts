import type { Loc } from '../../core/loc';
import { children, idText, strings, walk, type MoNode, type MotokoText } from './ast';
import { collectionOfExp, collectionOfType } from './collections';
import { blankComments } from './comments';
import { effectsOf } from './effects';
import type { MotokoActor, MotokoField, MotokoFileModel, MotokoFunction, MotokoImport, PersistenceMode } from './model';

/** The module name an import binds, by the last segment of its path (`mo:core/Map` gives `Map`). */
function moduleName(path: string): string {
  return (
    path
      .replace(/\/lib(\.mo)?$/, '')
      .split(/[/:]/)
      .pop() ?? path
  );
}

function imports(prog: MoNode, text: MotokoText): MotokoImport[] {
  const out: MotokoImport[] = [];
  for (const dec of children(prog)) {
    const [pat, exp] = children(dec);
    if (dec.name !== 'LetD' || exp?.name !== 'ImportE') continue;
    const loc = text.loc(exp);
    const path = strings(exp)[0];
    if (!loc || path === undefined) continue;
    out.push({ path, alias: pat?.name === 'VarP' ? idText(children(pat)[0]) : undefined, loc });
  }
  return out;
}

/**
 * Binds keyword searches to one span of the comment-free text. A string is searched as a whole
 * word: a name is not made into a pattern, since a hostile file's name may be longer than any
 * pattern can be.
 */
function finder(blank: string, file: string) {
  return (word: RegExp | string, start: number, end: number): Loc | undefined => {
    if (typeof word === 'string') {
      const isWordChar = (i: number) => /\w/.test(blank[i] ?? '');
      for (let i = blank.indexOf(word, start); i >= 0 && i + word.length <= end; i = blank.indexOf(word, i + 1)) {
        if (!isWordChar(i - 1) && !isWordChar(i + word.length)) return { file, start: i, end: i + word.length };
      }
      return undefined;
    }
    const re = new RegExp(word.source, 'g');
    re.lastIndex = start;
    const m = re.exec(blank);
    return m && m.index + m[0].length <= end ? { file, start: m.index, end: m.index + m[0].length } : undefined;
  };
}

type Find = ReturnType<typeof finder>;

function unwrapAnnot(exp: MoNode | undefined): { exp?: MoNode; type?: MoNode } {
  if (exp?.name === 'AnnotE') return { exp: children(exp)[0], type: children(exp)[1] };
  return { exp };
}

/** The identifiers a pattern binds, with the type of an `x : T` pattern. Types are not descended into. */
function patternNames(pat: MoNode): { ids: MoNode[]; type?: MoNode } {
  const ids: MoNode[] = [];
  let type: MoNode | undefined;
  const visit = (p: MoNode): void => {
    if (p.name === 'VarP') {
      const id = children(p)[0];
      if (id) ids.push(id);
    } else if (p.name === 'AnnotP') {
      type ??= children(p)[1];
      const inner = children(p)[0];
      if (inner) visit(inner);
    } else {
      for (const c of children(p)) if (!c.name.endsWith('T')) visit(c);
    }
  };
  visit(pat);
  return { ids, type };
}

function funcSort(func: MoNode): MotokoFunction['sort'] {
  const sort = children(func).find((c) => c.name === 'Shared' || c.name === 'Query' || c.name === 'Composite');
  if (!sort) return 'local';
  return sort.name === 'Shared' ? 'update' : 'query';
}

interface Context {
  text: MotokoText;
  find: Find;
  mode: PersistenceMode;
  modules: Map<string, string>;
}

function actorOf(node: MoNode, ctx: Context): MotokoActor | undefined {
  const { text, find, mode } = ctx;
  const loc = text.loc(node);
  if (!loc) return undefined;
  const decFields = children(node).filter((c) => c.name === 'DecField');
  const isClass = node.name === 'ClassD';
  const nameId = isClass ? children(node).find((c) => c.name === 'ID') : undefined;
  const headerEnd = (isClass ? text.loc(nameId)?.start : undefined) ?? text.loc(decFields[0])?.start ?? loc.end;
  const actorKeyword = find(/\bactor\b/, loc.start, headerEnd);
  if (!actorKeyword) return undefined;
  const persistentKeyword = find(/\bpersistent\b/, loc.start, actorKeyword.start);
  const declared = strings(node)[1];
  const name = isClass ? idText(nameId) : declared && declared !== '_' ? declared : undefined;
  const before = ctx.text.text.slice(Math.max(0, loc.start - 4000), loc.start);
  const migration = /\(\s*with\b[^;]*\)\s*$/.test(before.slice(before.lastIndexOf(';') + 1));
  const persistentBy = persistentKeyword ? 'keyword' : mode.defaultPersistent ? 'flag' : undefined;
  const nameLoc = isClass ? text.loc(nameId) : name ? find(name, actorKeyword.end, headerEnd) : undefined;
  const actor: MotokoActor = {
    name,
    nameLoc,
    kind: isClass ? 'actor class' : 'actor',
    loc,
    actorKeyword,
    persistentKeyword,
    persistent: persistentBy !== undefined,
    persistentBy,
    migration,
    fields: [],
    functions: [],
  };
  const bodies: { fn: MotokoFunction; body: MoNode }[] = [];
  for (const decField of decFields) {
    const fieldLoc = text.loc(decField);
    const dec = children(decField)[0];
    const decLoc = text.loc(dec);
    if (!fieldLoc || !decLoc || (dec.name !== 'VarD' && dec.name !== 'LetD')) continue;
    const vis = strings(decField)[0];
    const visibility = vis === 'Public' ? 'public' : vis === 'System' ? 'system' : 'private';
    const [first, second] = children(dec);
    const { exp, type: expType } = unwrapAnnot(second);
    if (dec.name === 'LetD' && exp?.name === 'FuncE') {
      const nameLoc = text.loc(children(first)[0]) ?? decLoc;
      const fn: MotokoFunction = {
        name: idText(children(first)[0]) ?? '',
        nameLoc,
        loc: fieldLoc,
        visibility,
        sort: funcSort(exp),
        writes: [],
        removes: [],
        adds: [],
        reads: [],
        calls: [],
        copiesOnly: false,
        copies: [],
      };
      actor.functions.push(fn);
      const kids = children(exp);
      bodies.push({ fn, body: kids[kids.length - 1] });
      continue;
    }
    const { ids, type: patType } = dec.name === 'VarD' ? { ids: [first], type: undefined } : patternNames(first);
    const nameLoc = text.loc(ids[0]);
    if (!nameLoc) continue;
    const type = patType ?? expType;
    const keywordLoc = find(/\b(stable|transient|flexible)\b/, fieldLoc.start, decLoc.start);
    const word = keywordLoc ? (text.slice(keywordLoc) as 'stable' | 'transient' | 'flexible') : undefined;
    const collection = collectionOfType(type) ?? collectionOfExp(exp, ctx.modules);
    const initLoc = text.loc(exp);
    const field: MotokoField = {
      names: ids.map((id) => idText(id) ?? ''),
      nameLoc,
      kind: dec.name === 'VarD' ? 'var' : 'let',
      loc: fieldLoc,
      decStart: decLoc.start,
      keyword: word && keywordLoc ? { word, loc: keywordLoc } : undefined,
      stability: word ? (word === 'stable' ? 'stable' : 'transient') : actor.persistent ? 'stable' : 'transient',
      reason: word ? 'keyword' : persistentBy === 'keyword' ? 'persistent-actor' : persistentBy === 'flag' ? 'default-persistent-flag' : 'plain-actor',
      typeText: type ? (text.loc(type) ? text.slice(text.loc(type)!) : undefined) : undefined,
      collection: collection?.kind,
      classBased: collection?.classBased ?? false,
      initializer: initLoc ? { text: text.slice(initLoc), loc: initLoc } : undefined,
    };
    actor.fields.push(field);
  }
  const fieldNames = new Set(actor.fields.flatMap((f) => f.names));
  const functionNames = new Set(actor.functions.map((f) => f.name));
  for (const { fn, body } of bodies) {
    if (!body) continue;
    Object.assign(fn, effectsOf(body, fieldNames, functionNames, text));
  }
  return actor;
}

/** Extracts actors, fields, functions and imports from `parseMotoko(text, true)`. Never throws on odd trees. */
export function extractMotokoModel(ast: MoNode, text: MotokoText, mode: PersistenceMode): MotokoFileModel {
  const blank = blankComments(text.text);
  const importList = imports(ast, text);
  const modules = new Map(importList.flatMap((i) => (i.alias ? [[i.alias, moduleName(i.path)] as const] : [])));
  const ctx: Context = { text, find: finder(blank, text.file), mode, modules };
  const actors: MotokoActor[] = [];
  walk(ast, (n) => {
    const isActor = (n.name === 'ObjBlockE' || n.name === 'ClassD') && strings(n).includes('Actor');
    if (!isActor) return;
    const actor = actorOf(n, ctx);
    if (actor) actors.push(actor);
    return false;
  });
  return { file: text.file, actors, imports: importList };
}
