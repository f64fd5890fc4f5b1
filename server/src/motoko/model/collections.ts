import { children, idText, walk, type MoNode } from './ast';

/** Library types that hold user data, by the last segment of their module or type name. */
const COLLECTIONS = new Set([
  'Map',
  'Set',
  'List',
  'Queue',
  'Stack',
  'Deque',
  'PriorityQueue',
  'Buffer',
  'HashMap',
  'TrieMap',
  'Trie',
  'TrieSet',
  'RBTree',
  'BTree',
  'StableBuffer',
  'Vector',
  'OrderedMap',
  'OrderedSet',
  'AssocList',
]);

/** Collections that are objects with methods: not stable types, so `stable` is a type error (M0131). */
const CLASS_BASED = new Set(['HashMap', 'TrieMap', 'Buffer', 'RBTree']);

/** Module functions that build an array. */
const ARRAY_BUILDERS = new Set(['init', 'tabulate', 'tabulateVar', 'repeat', 'empty', 'fromIter', 'fromVarArray', 'toVarArray', 'singleton']);

export interface Collection {
  kind: string;
  classBased: boolean;
}

/** The last identifier of a type path (`Map.Map<K, V>` gives `Map`). */
function pathName(node: MoNode): string | undefined {
  const head = children(node)[0];
  if (!head) return undefined;
  let last: string | undefined;
  walk(head, (n) => {
    const id = idText(n);
    if (id !== undefined) last = id;
  });
  return last;
}

/** Classifies a type annotation. */
export function collectionOfType(type: MoNode | undefined): Collection | undefined {
  if (!type) return undefined;
  switch (type.name) {
    case 'ArrayT':
      return { kind: 'array', classBased: false };
    case 'OptT':
    case 'ParT':
      return collectionOfType(children(type)[0]);
    case 'PathT': {
      const name = pathName(type);
      return name && COLLECTIONS.has(name) ? { kind: name, classBased: CLASS_BASED.has(name) } : undefined;
    }
    case 'ObjT': {
      for (const field of children(type).filter((c) => c.name === 'ValF')) {
        const inner = collectionOfType(children(field)[1]);
        if (inner) return { kind: `record of ${inner.kind}`, classBased: inner.classBased };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Classifies an initializer: `Map.empty()`, `HashMap.HashMap(…)`, `[]`, `Array.init(…)` or a record
 * literal holding one. `modules` maps import aliases to the module's last path segment.
 */
export function collectionOfExp(exp: MoNode | undefined, modules: Map<string, string>): Collection | undefined {
  if (!exp) return undefined;
  switch (exp.name) {
    case 'ArrayE':
      return { kind: 'array', classBased: false };
    case 'AnnotE':
      return collectionOfType(children(exp)[1]) ?? collectionOfExp(children(exp)[0], modules);
    case 'ParE':
      return collectionOfExp(children(exp)[0], modules);
    case 'ObjE': {
      for (const field of children(exp).filter((c) => c.name === 'ExpField')) {
        const inner = collectionOfExp(children(field)[1], modules);
        if (inner) return { kind: `record of ${inner.kind}`, classBased: inner.classBased };
      }
      return undefined;
    }
    case 'CallE': {
      const callee = children(exp)[0];
      if (callee?.name !== 'DotE') return undefined;
      const [recv, fn] = children(callee);
      const alias = recv?.name === 'VarE' ? idText(children(recv)[0]) : undefined;
      const module = alias !== undefined ? (modules.get(alias) ?? alias) : undefined;
      const fnName = idText(fn);
      if (!module || !fnName) return undefined;
      if (module === 'Array' || module === 'VarArray') return ARRAY_BUILDERS.has(fnName) ? { kind: 'array', classBased: false } : undefined;
      if (COLLECTIONS.has(module)) return { kind: module, classBased: CLASS_BASED.has(module) || CLASS_BASED.has(fnName) };
      return undefined;
    }
    default:
      return undefined;
  }
}
