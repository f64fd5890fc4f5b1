import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OpenDocuments } from './documents';

/**
 * Converts between the client's URIs and the analyzer's file paths. An open document keeps the
 * exact URI the client sent, since clients encode some characters differently from Node.
 */
export class Uris {
  constructor(private readonly docs: OpenDocuments) {}

  toUri(file: string): string {
    return this.docs.get(file)?.uri ?? pathToFileURL(file).href;
  }

  /** The file path of a `file:` URI; other schemes (untitled buffers, git diffs) are not analysed. */
  toPath(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return path.normalize(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  }
}
