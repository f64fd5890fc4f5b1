import { LineIndex } from '../../core/text';
import type { CrateInfo } from '../project/crate';
import { CanisterModel, type LazyFacts } from './canister';
import { emptyFacts } from './extract';
import { mentionsStableState } from './prefilter';
import type { SourceFile } from './sourceFile';

/** A crate's model with the files it was built from, keyed by path. */
export interface CrateModel {
  crate: CrateInfo;
  model: CanisterModel;
  files: Map<string, SourceFile>;
}

/** The ids a deployed layout holds, and the file it was read from (findings may point into it). */
export interface RecordedIds {
  file: string;
  text: string;
  ids: number[];
}

/**
 * Builds the model of one crate. Files that mention stable state are read now (only their units
 * with a stable word when they can be split); the others are read on the first lookup by name.
 */
export function buildCrateModel(crate: CrateInfo, files: SourceFile[], recorded?: RecordedIds): CrateModel {
  // The prefilter reads every byte of the crate, so each file is tested once.
  const mentions = files.map((f) => mentionsStableState(f.text));
  const lazy: LazyFacts[] = files.filter((_, i) => !mentions[i]).map((f) => ({ file: f.path, text: f.text, facts: () => f.facts }));
  const primary = files
    .filter((_, i) => mentions[i])
    .map((f) => {
      if (!f.split) return f.facts;
      const split = f.split();
      if (split.pending)
        lazy.push({
          file: f.path,
          get text() {
            return split.restText;
          },
          facts: () => split.complete()!,
          rest: true,
        });
      return split.facts;
    });
  const model = new CanisterModel(crate, primary, lazy);
  const byPath = new Map(files.map((f) => [f.path, f]));
  if (recorded) model.reserveIds(recorded.ids);
  if (recorded && !byPath.has(recorded.file))
    byPath.set(recorded.file, { path: recorded.file, text: recorded.text, lines: new LineIndex(recorded.text), facts: emptyFacts(recorded.file) });
  return { crate, model, files: byPath };
}
