import type { LineIndex } from '../../core/text';
import type { RustFileFacts } from './facts';
import { append, extractPicked, filledKeys, type UnitPicker } from './extract';

/**
 * A file read in two steps: the units `hot` picks now, the others when a lookup needs them. In a
 * canister file most units are ordinary code that no rule reads unless it looks up a name there,
 * and reading a unit costs more than parsing it.
 */
export interface SplitFacts {
  /** The facts read so far: `complete` adds the other units' to these same lists. */
  readonly facts: RustFileFacts;
  /**
   * The text of the units left out at first, for lookups by name. It stays the same once they are
   * read: a model made before then still finds them by it, and gets what `complete` added.
   */
  readonly restText: string;
  /** Whether units left out are still unread. */
  readonly pending: boolean;
  /** Reads the units left out into `facts` (once) and returns what they added; undefined when none were left out. */
  complete(): RustFileFacts | undefined;
}

export function extractSplit(file: string, text: string, lines: LineIndex, hot: UnitPicker): SplitFacts {
  // Only offsets are kept of the units left out: their nodes belong to a tree freed below.
  const rest: [number, number][] = [];
  const facts = extractPicked(file, text, lines, (scope) => {
    const isHot = hot(scope);
    return (unit) => {
      if (isHot(unit)) return true;
      rest.push([unit.start, unit.end]);
      return false;
    };
  });
  if (rest.length === 0) return whole(facts);
  let restText: string | undefined;
  let added: RustFileFacts | undefined;
  return {
    facts,
    get restText() {
      return (restText ??= rest.map(([start, end]) => text.slice(start, end)).join('\n'));
    },
    get pending() {
      return !added;
    },
    complete() {
      if (!added) {
        // The same text parses to the same units, so their starts find them in the new tree.
        const starts = new Set(rest.map(([start]) => start));
        const fragment = extractPicked(file, text, lines, () => (unit) => starts.has(unit.start));
        append(facts, fragment, filledKeys(fragment));
        added = fragment;
      }
      return added;
    },
  };
}

/** Facts read whole, as a split with nothing left out. */
export function whole(facts: RustFileFacts): SplitFacts {
  return { facts, restText: '', pending: false, complete: () => undefined };
}
