import type { Loc } from '../../core/loc';
import type { Fix } from '../../core/findings';
import type { MotokoActor, MotokoField, MotokoFileModel } from '../model/model';

const insert = (file: string, at: number, newText: string) => ({ file, start: at, end: at, newText });

/** Deletes a keyword and the one space after it. */
export function removeKeyword(text: string, loc: Loc): { file: string; start: number; end: number; newText: string } {
  return { file: loc.file, start: loc.start, end: loc.end + (text[loc.end] === ' ' ? 1 : 0), newText: '' };
}

function fieldAt(model: MotokoFileModel, loc: Loc): { actor: MotokoActor; field: MotokoField } | undefined {
  for (const actor of model.actors) {
    for (const field of actor.fields) {
      const hit = (field.loc.start <= loc.start && loc.start < field.loc.end) || (field.nameLoc.start <= loc.start && loc.start <= field.nameLoc.end);
      if (hit) return { actor, field };
    }
  }
  return undefined;
}

function actorAt(model: MotokoFileModel, loc: Loc): MotokoActor | undefined {
  return (
    model.actors.find((a) => a.actorKeyword.start <= loc.start && loc.start <= a.actorKeyword.end) ??
    model.actors.find((a) => a.loc.start <= loc.start && loc.start < a.loc.end)
  );
}

export const MAKE_PERSISTENT_TITLE = 'Make the actor persistent (every let and var becomes stable)';

/** Declares a field transient: `stable` becomes `transient`, or `transient ` goes before `let`/`var`. */
export function declareTransient(text: string, field: MotokoField, title: string, kind: Fix['kind']): Fix {
  const file = field.loc.file;
  if (field.keyword) return { title, kind, edits: [{ file, start: field.keyword.loc.start, end: field.keyword.loc.end, newText: 'transient' }] };
  return { title, kind, edits: [insert(file, field.decStart, 'transient ')] };
}

/**
 * The quick fixes of a compiler diagnostic (or of the fallback that stands in for it), found from
 * the file's model. The compiler reports the range; the model says where keywords go.
 */
export function compilerFixes(code: string, loc: Loc, model: MotokoFileModel | undefined, text: string): Fix[] {
  if (!model || model.file !== loc.file) return [];
  switch (code) {
    case 'M0218':
      return text.slice(loc.start, loc.end) === 'stable'
        ? [{ title: 'Remove the redundant `stable` keyword', kind: 'safe', edits: [removeKeyword(text, loc)] }]
        : [];
    case 'M0219': {
      const found = fieldAt(model, loc);
      if (!found) return [];
      const name = found.field.names[0];
      return [
        declareTransient(text, found.field, `Declare \`${name}\` transient (keeps today's behaviour: it is emptied on every upgrade)`, 'safe'),
        { title: MAKE_PERSISTENT_TITLE, kind: 'unsafe', edits: [insert(loc.file, found.actor.actorKeyword.start, 'persistent ')] },
      ];
    }
    case 'M0220': {
      const actor = actorAt(model, loc);
      return actor && !actor.persistentKeyword
        ? [{ title: 'Declare the actor `persistent`', kind: 'safe', edits: [insert(loc.file, actor.actorKeyword.start, 'persistent ')] }]
        : [];
    }
    case 'M0131': {
      const found = fieldAt(model, loc);
      return found
        ? [declareTransient(text, found.field, `Declare \`${found.field.names[0]}\` transient (it is then emptied on every upgrade)`, 'unsafe')]
        : [];
    }
    default:
      return [];
  }
}
