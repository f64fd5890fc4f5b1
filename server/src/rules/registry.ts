/** The rule registry, alphabetical. A rule's id is its file name (a test checks both). */
import candidStorableEncoding from './candid-storable-encoding';
import duplicateMemoryId from './duplicate-memory-id';
import fixedSizeMismatch from './fixed-size-mismatch';
import heapStateLostOnUpgrade from './heap-state-lost-on-upgrade';
import implicitStableConstant from './implicit-stable-constant';
import initializerChangeIgnored from './initializer-change-ignored';
import memoryLayoutBreak from './memory-layout-break';
import memoryManagerConflict from './memory-manager-conflict';
import missingPostUpgrade from './missing-post-upgrade';
import optionFixedSizeNonePanics from './option-fixed-size-none-panics';
import preUpgradeSerialization from './pre-upgrade-serialization';
import reservedMemoryId from './reserved-memory-id';
import restoreErrorIgnored from './restore-error-ignored';
import stableMemoryInitOrder from './stable-memory-init-order';
import stableMemoryMissingPreUpgrade from './stable-memory-missing-pre-upgrade';
import stableSignatureBreak from './stable-signature-break';
import stableStructureNewWipesData from './stable-structure-new-wipes-data';
import stableTimerId from './stable-timer-id';
import storableApiMismatch from './storable-api-mismatch';
import storableBoundChange from './storable-bound-change';
import storableSchemaBreak from './storable-schema-break';
import transientUserData from './transient-user-data';
import unboundedFieldInBoundedStorable from './unbounded-field-in-bounded-storable';
import unboundedTupleElement from './unbounded-tuple-element';
import unboundedVecElement from './unbounded-vec-element';
import unusedSuppression from './unused-suppression';
import upgradeHookInPersistentActor from './upgrade-hook-in-persistent-actor';
import type { Rule } from './api';

export const rules: Rule[] = [
  candidStorableEncoding,
  duplicateMemoryId,
  fixedSizeMismatch,
  heapStateLostOnUpgrade,
  implicitStableConstant,
  initializerChangeIgnored,
  memoryLayoutBreak,
  memoryManagerConflict,
  missingPostUpgrade,
  optionFixedSizeNonePanics,
  preUpgradeSerialization,
  reservedMemoryId,
  restoreErrorIgnored,
  stableMemoryInitOrder,
  stableMemoryMissingPreUpgrade,
  stableSignatureBreak,
  stableStructureNewWipesData,
  stableTimerId,
  storableApiMismatch,
  storableBoundChange,
  storableSchemaBreak,
  transientUserData,
  unboundedFieldInBoundedStorable,
  unboundedTupleElement,
  unboundedVecElement,
  unusedSuppression,
  upgradeHookInPersistentActor,
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/** The docs page of a rule, as shipped in the repository. */
export const DOCS_BASE_URL = 'https://github.com/stable-lens/stable-lens/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
