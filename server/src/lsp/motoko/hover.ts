import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { Loc } from '../../core/loc';
import type { MotokoFileResult } from '../../check/motoko';
import type { MotokoActor, MotokoField, PersistenceMode } from '../../motoko/model/model';
import type { SignatureResult } from '../../motoko/compiler/protocol';
import { recordedMost, type MotokoUpgrade } from '../../lockfile/motokoUpgrade';

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const contains = (loc: Loc, offset: number) => loc.start <= offset && offset <= loc.end;

/** Why a field is stable or transient, in one sentence. */
export function stabilityWhy(field: MotokoField, actor: MotokoActor, mode: PersistenceMode): string {
  if (field.keyword?.word === 'stable')
    return actor.persistent ? 'declared `stable` (redundant: the actor is persistent, so it would be stable anyway)' : 'declared `stable`';
  if (field.keyword) return `declared \`${field.keyword.word}\`: it is initialised again on every upgrade`;
  if (field.reason === 'persistent-actor') return 'the actor is declared `persistent`, so its `let` and `var` fields are stable unless marked `transient`';
  if (field.reason === 'default-persistent-flag') return 'the project compiles with `--default-persistent-actors`, which makes every actor persistent';
  if (mode.legacy) return 'a plain actor compiled with `--legacy-actors` keeps only `stable` fields: this one is emptied on every upgrade';
  return 'a plain actor: this field is implicitly transient and emptied on every upgrade (the compiler asks to declare it, M0219)';
}

function fieldHover(field: MotokoField, actor: MotokoActor, mode: PersistenceMode): string {
  const head = `**${field.kind} ${field.names.map(code).join(', ')}** · ${field.stability}`;
  const lines = [head, '', `${field.stability === 'stable' ? 'Stable' : 'Transient'}: ${stabilityWhy(field, actor, mode)}.`];
  if (field.typeText) lines.push('', `Type: ${code(field.typeText)}`);
  if (field.collection && field.stability === 'transient') lines.push('', `It holds a ${field.collection}: anything stored in it is lost at the next upgrade.`);
  return lines.join('\n');
}

/** Signatures compare without the hashes the compiler gives type names, which differ between programs. */
const comparable = (most: string) => most.replace(/__\d+/g, '').replace(/\s+/g, ' ').trim();

/** The recorded signature, when it differs from the current one (or there is no current one). */
function recordedLines(upgrade: MotokoUpgrade | undefined, signature: SignatureResult | undefined): string[] {
  if (!upgrade) return [];
  const recorded = recordedMost(upgrade.baseline);
  if (signature?.most && comparable(signature.most) === comparable(recorded)) return [];
  return ['', `**Recorded in ${upgrade.baseline.label}** (the deployed signature):`, '', '```motoko', recorded.trimEnd(), '```'];
}

function actorHover(actor: MotokoActor, mode: PersistenceMode, signature: SignatureResult | undefined, upgrade?: MotokoUpgrade, toolchain?: string): string {
  const kind = `${actor.persistent ? 'persistent ' : ''}${actor.kind}`;
  const why =
    actor.persistentBy === 'keyword'
      ? 'declared `persistent`'
      : actor.persistentBy === 'flag'
        ? 'persistent through `--default-persistent-actors`'
        : mode.legacy
          ? 'a legacy actor: only `stable` fields survive upgrades'
          : 'not persistent';
  const lines = [`**${kind}${actor.name ? ` ${code(actor.name)}` : ''}** · ${why}`, ''];
  // Which compiler the verdicts assume matters as much as the verdicts: a classic project reads differently.
  if (toolchain) lines.push(`Checked as: ${toolchain}`, '');
  if (actor.fields.length) {
    lines.push('| field | | survives upgrades | type |', '|---|---|---|---|');
    for (const f of actor.fields)
      lines.push(
        `| ${f.names.map(code).join(', ')} | ${f.kind} | ${f.stability === 'stable' ? 'yes (stable)' : '**no** (transient)'} | ${f.typeText ? code(f.typeText).replace(/\|/g, '\\|') : ''} |`,
      );
  } else lines.push('_No `let` or `var` fields._');
  if (signature?.most) lines.push('', 'Stable signature:', '', '```motoko', signature.most.trimEnd(), '```');
  else if (signature?.error) lines.push('', `No stable signature: the program does not compile (${signature.error.split('\n')[0]}).`);
  else lines.push('', '_The stable signature is being compiled; hover again in a moment._');
  lines.push(...recordedLines(upgrade, signature));
  return lines.join('\n');
}

export type HoverTarget = { kind: 'actor'; actor: MotokoActor; loc: Loc } | { kind: 'field'; actor: MotokoActor; field: MotokoField; loc: Loc };

/** The actor header (`persistent actor Name`) or field (its name or keyword) at `offset`. */
export function motokoTargetAt(result: MotokoFileResult, offset: number): HoverTarget | undefined {
  for (const actor of result.model?.actors ?? []) {
    for (const field of actor.fields) {
      for (const loc of [field.nameLoc, field.keyword?.loc]) if (loc && contains(loc, offset)) return { kind: 'field', actor, field, loc };
    }
    const brace = result.text.indexOf('{', actor.actorKeyword.end);
    const header: Loc = { file: actor.loc.file, start: actor.loc.start, end: brace < 0 ? actor.actorKeyword.end : brace };
    if (contains(header, offset)) return { kind: 'actor', actor, loc: header };
  }
  return undefined;
}

/** The hover of a Motoko target; the actor's stable signature is awaited (compiled on demand, cached). */
export async function motokoHover(
  result: MotokoFileResult,
  target: HoverTarget,
  mode: PersistenceMode,
  signature: () => Promise<SignatureResult | undefined>,
  toolchain?: string,
): Promise<Hover> {
  const value =
    target.kind === 'field' ? fieldHover(target.field, target.actor, mode) : actorHover(target.actor, mode, await signature(), result.upgrade, toolchain);
  const range = { start: result.lines.position(target.loc.start), end: result.lines.position(target.loc.end) };
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}
