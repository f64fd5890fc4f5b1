import { applyEdits } from '../../core/fixEngine';
import { compareVersion } from '../../rust/project/crate';
import type { CanisterModel } from '../../rust/model/canister';
import type { HeapStateDecl } from '../../rust/model/facts';
import type { Fix, TextEdit } from '../../core/findings';
import { dependencyEdits } from './cargoEdits';
import { conversionTarget, type ConversionTarget } from './conversionTarget';
import { FileImports, ISS, itemAnchor, MM } from './fileImports';
import { MemoryPlan } from './memoryPlan';
import { rewriteUses } from './staticUses';
import { storableImplEdits } from './storableImpl';
import { indentAt, lineStartOf, SyntaxCache } from './syntaxCache';
import { importRemovals, type ImportRemoval } from './unusedImports';

const MAX_LINE = 100;

/**
 * "Convert to stable structure" fixes for heap statics, one per static that can be converted.
 * Everything is computed only for statics that have a finding, and parses only their crate's files.
 */
export function conversionFixes(model: CanisterModel, text: (file: string) => string, decls: HeapStateDecl[]): Map<HeapStateDecl, Fix> {
  const out = new Map<HeapStateDecl, Fix>();
  const syntax = new SyntaxCache(text);
  try {
    const targets = new Map<HeapStateDecl, ConversionTarget>();
    for (const h of decls) {
      const t = guarded(() => conversionTarget(h, model, syntax));
      if (t) targets.set(h, t);
    }
    if (targets.size === 0) return out;
    const plan = new MemoryPlan(model, syntax, [...targets.keys()]);
    if (!plan.available) return out;
    const removals = soleRemovals(syntax, targets);
    for (const [h, t] of targets) {
      const fix = guarded(() => buildFix(h, t, plan, [...targets.keys()], removals.get(h) ?? []));
      if (fix) out.set(h, fix);
    }
    return out;
  } finally {
    syntax.dispose();
  }
}

/** A fix that cannot be built (unexpected syntax in half-typed code) is simply not offered. */
function guarded<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** The ranges of the static's declaration that the fix rewrites. */
function replacedRanges(h: HeapStateDecl, t: ConversionTarget): [number, number][] {
  const type = t.replacesWrapper ? h.type.loc : h.inner.loc;
  const init = t.initArg && !t.replacesWrapper ? t.initArg : t.init;
  return [
    [type.start, type.end],
    [init.startIndex, init.endIndex],
  ];
}

/**
 * Imports each fix leaves unused (`HashMap`, `Cell`), kept only where no other fix of this
 * analysis edits the same `use`: fixes applied together must not touch the same text.
 */
function soleRemovals(syntax: SyntaxCache, targets: Map<HeapStateDecl, ConversionTarget>): Map<HeapStateDecl, TextEdit[]> {
  const found = new Map<HeapStateDecl, ImportRemoval[]>();
  const editors = new Map<string, number>();
  for (const [h, t] of targets) {
    const written = t.replacesWrapper ? h.type : h.inner;
    const name = written.text.startsWith(`${written.name}<`) ? [written.name] : [];
    const list = guarded(() => importRemovals(syntax, h.loc.file, name, replacedRanges(h, t))) ?? [];
    found.set(h, list);
    for (const r of list) editors.set(`${h.loc.file}:${r.declStart}`, (editors.get(`${h.loc.file}:${r.declStart}`) ?? 0) + 1);
  }
  const out = new Map<HeapStateDecl, TextEdit[]>();
  for (const [h, list] of found)
    out.set(
      h,
      list.filter((r) => editors.get(`${h.loc.file}:${r.declStart}`) === 1).map((r) => r.edit),
    );
  return out;
}

function buildFix(h: HeapStateDecl, t: ConversionTarget, plan: MemoryPlan, converted: HeapStateDecl[], unusedImports: TextEdit[]): Fix | undefined {
  const { model, syntax } = plan;
  const file = h.loc.file;
  const importsByFile = new Map<string, FileImports>();
  const importsOf = (f: string): FileImports => {
    let fi = importsByFile.get(f);
    if (!fi) {
      const facts = model.factsOf(f);
      if (!facts) throw new Error(`no facts for ${f}`);
      fi = new FileImports(f, facts, syntax, plan.mmNames(f));
      importsByFile.set(f, fi);
    }
    return fi;
  };
  const fi = importsOf(file);
  const constNames = t.idSuffixes.map((s) => uniqueConstName(plan, fi, `${h.name.toUpperCase()}_${s}`));
  const memories = constNames.map((c) => plan.memoryExpr(file, fi, c));
  if (memories.some((m) => m === undefined)) return undefined;
  const storable: TextEdit[] = [];
  const deps = model.crate.stableStructures ? [] : ['ic-stable-structures'];
  for (const def of t.custom) {
    const s = storableImplEdits(syntax, def, model.version, importsOf(def.loc.file));
    if (!s) return undefined;
    storable.push(...s.edits);
    deps.push(...s.dependencies.filter((d) => !deps.includes(d)));
  }

  const ids = constNames.map(() => model.claimFreeId());
  if (ids.some((id) => id === undefined)) return undefined;

  const v07 = compareVersion(model.version, 0, 7) >= 0;
  const memType = plan.memoryType(file, fi);
  const structure = fi.ref(`${ISS}::${t.structure}`);
  const memArgs = t.structure === 'StableLog' ? [memType, memType] : [memType];
  const typeText = `${structure}<${[...t.typeArgs.map((a) => a.text), ...memArgs].join(', ')}>`;
  const ctorArgs = [...(memories as string[]), ...(t.cellDefault !== undefined ? [t.cellDefault] : [])];
  const expect = !v07 && t.structure !== 'StableBTreeMap' ? `.expect("failed to initialize ${h.name}")` : '';
  const decl = declarationEdits(h, t, fi, syntax.text(file), typeText, `${structure}::init`, ctorArgs, expect);

  const memoryId = fi.ref(`${MM}::MemoryId`);
  const after = afterLastIdConst(plan, file);
  const anchor = after ?? itemAnchor(syntax, file).offset;
  const consts: TextEdit[] = constNames.map((c, i) => ({
    file,
    start: anchor,
    end: anchor,
    newText: `const ${c}: ${memoryId} = ${memoryId}::new(${ids[i]});\n`,
  }));
  const shared = after === undefined || plan.createsAlias(file) ? plan.sharedItems(file, fi) : [];
  const home: TextEdit[] = [];
  const firstInHome = converted.find((c) => c.loc.file === plan.home);
  if (plan.home && firstInHome) {
    const hi = importsOf(plan.home);
    home.push(...plan.managerEdits(firstInHome, hi));
    if (plan.home !== file) home.push(...plan.sharedItems(plan.home, hi));
  }

  // Every file of the crate: a file that only calls `X.with(..)` may have no facts extracted.
  const sites = rewriteUses(syntax, model.crate.files, h.name, h.nameLoc.start, t.rewriter);
  const review = sites.reduce((n, s) => n + s.review, 0);
  const imports = [...importsByFile.values()].flatMap((x) => x.edits());
  const edits = [
    ...unusedImports,
    ...imports,
    ...shared,
    ...consts,
    ...decl,
    ...home,
    ...storable,
    ...sites.flatMap((s) => s.edits),
    ...dependencyEdits(model.crate, deps),
  ];
  const note = review === 0 ? '' : `; ${review} call site${review === 1 ? ' needs' : 's need'} review`;
  return { title: `Convert to ${t.structure}${note}`, kind: 'unsafe', edits };
}

/** The start of the line after the file's last top-level MemoryId const: new ids join the existing ones. */
function afterLastIdConst(plan: MemoryPlan, file: string): number | undefined {
  const facts = plan.model.factsOf(file);
  const text = plan.syntax.text(file);
  let end: number | undefined;
  for (const c of facts?.consts ?? []) {
    if (!c.isMemoryId) continue;
    const item = plan.syntax.nodeAt(file, c.loc.start, 'identifier')?.parent;
    if (item?.type !== 'const_item' || item.parent?.type !== 'source_file') continue;
    const nl = text.indexOf('\n', item.endIndex);
    if (nl >= 0 && text.slice(item.endIndex, nl).trim() === '') end = Math.max(end ?? 0, nl + 1);
  }
  return end;
}

function uniqueConstName(plan: MemoryPlan, fi: FileImports, base: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (plan.model.constsNamed(name).length === 0 && fi.isFree(name)) return name;
  }
}

/**
 * The static's new type and initializer. The constructor call stays on the static's line when it
 * fits, else its arguments go one per line as rustfmt lays them out.
 */
function declarationEdits(
  h: HeapStateDecl,
  t: ConversionTarget,
  fi: FileImports,
  text: string,
  typeText: string,
  ctor: string,
  args: string[],
  expect: string,
): TextEdit[] {
  const file = h.loc.file;
  const ind = indentAt(text, h.loc.start);
  const cell = () => fi.ref('std::cell::RefCell');
  const typeEdit: TextEdit = t.replacesWrapper ? { ...h.type.loc, newText: `${cell()}<${typeText}>` } : { ...h.inner.loc, newText: typeText };
  const initEdit = (call: string): TextEdit =>
    t.initArg && !t.replacesWrapper
      ? { file, start: t.initArg.startIndex, end: t.initArg.endIndex, newText: call }
      : { file, start: t.init.startIndex, end: t.init.endIndex, newText: `${cell()}::new(${call})` };
  const single = [typeEdit, initEdit(`${ctor}(${args.join(', ')})${expect}`)];
  const lineStart = lineStartOf(text, h.loc.start);
  const shifted = single.map((e) => ({ ...e, start: e.start - lineStart, end: e.end - lineStart }));
  const result = applyEdits(text.slice(lineStart, h.loc.end), shifted);
  if (result.split('\n').every((l) => l.length <= MAX_LINE)) return single;
  const wrapped = `${ctor}(\n${args.map((a) => `${ind}    ${a},\n`).join('')}${ind})${expect}`;
  return [typeEdit, initEdit(wrapped)];
}
