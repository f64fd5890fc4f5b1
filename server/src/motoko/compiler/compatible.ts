import type { CompatibilityResult } from './protocol';

/** The part of the `motoko` package the compatibility check needs. */
export interface CompatibleApi {
  write(path: string, content: string): void;
  delete(path: string): void;
  compiler: { stableCompatible(pre: string, post: string): { diagnostics?: { code?: string; severity?: number; message?: string }[] } };
}

/** Virtual folder for the two signatures; the compiler reads them as files. */
const DIR = '/.stable-lens-compat';

/**
 * Runs the compiler's own upgrade check (`moc --stable-compatible`) on two `.most` texts. It takes
 * about a millisecond; only producing the current signature is expensive.
 */
export function stableCompatible(mo: CompatibleApi, pre: string, post: string): CompatibilityResult {
  const started = Date.now();
  const prePath = `${DIR}/pre.most`;
  const postPath = `${DIR}/post.most`;
  mo.write(prePath, pre);
  mo.write(postPath, post);
  try {
    const raw = mo.compiler.stableCompatible(prePath, postPath).diagnostics ?? [];
    // A syntax error means one of the signatures is not a `.most`: that is no verdict on the upgrade.
    const syntax = raw.find((d) => d.code === 'M0001');
    if (syntax) return { diagnostics: [], error: `a stable signature does not parse (${(syntax.message ?? '').split('\n')[0]})`, ms: Date.now() - started };
    const diagnostics = raw.map((d) => ({
      code: d.code ?? '',
      severity: d.severity === 1 ? ('error' as const) : ('warning' as const),
      message: d.message ?? '',
    }));
    return { diagnostics, ms: Date.now() - started };
  } catch (error) {
    return { diagnostics: [], error: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
  } finally {
    mo.delete(prePath);
    mo.delete(postPath);
  }
}
