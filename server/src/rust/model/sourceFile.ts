import { LineIndex } from '../../core/text';
import { extractRustFacts } from './extract';
import type { RustFileFacts } from './facts';
import { hotUnits } from './prefilter';
import { extractSplit, whole, type SplitFacts } from './split';

export interface SourceFile {
  path: string;
  text: string;
  lines: LineIndex;
  /** Every fact of the file. */
  facts: RustFileFacts;
  /** The facts of the units the rules read directly, and the rest for later; files read whole (open buffers) have none. */
  split?(): SplitFacts;
}

/**
 * A source file record whose line index and facts are computed on first use: a file the crate's
 * analysis never needs is never parsed, and of a file it needs, only the units it reads.
 */
export function sourceFile(path: string, text: string): SourceFile {
  let lines: LineIndex | undefined;
  let facts: RustFileFacts | undefined;
  let split: SplitFacts | undefined;
  return {
    path,
    text,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
    get facts() {
      if (split) {
        split.complete();
        return split.facts;
      }
      return (facts ??= extractRustFacts(path, text, undefined, this.lines));
    },
    split() {
      if (facts) return whole(facts);
      return (split ??= extractSplit(path, text, this.lines, hotUnits));
    },
  };
}
