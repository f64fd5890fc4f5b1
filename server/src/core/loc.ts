/** A span of one file, in UTF-16 offsets. */
export interface Loc {
  file: string;
  start: number;
  end: number;
}

export interface SuppressionComment {
  rules: string[];
  reason: string;
  scope: 'line' | 'file';
  /** The line the comment applies to (the next code line), or -1 for the file. */
  targetLine: number;
  loc: Loc;
  /** Each rule id's own span inside the comment, for precise unused-suppression reports. */
  ruleLocs: Loc[];
}
