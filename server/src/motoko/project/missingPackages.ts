import type { Finding } from '../../core/findings';
import type { Loc } from '../../core/loc';
import type { MotokoProject } from './project';

/** The code of the one note per project and missing package that replaces the compiler's M0010 on every import. */
export const MISSING_PACKAGE_CODE = 'missing-package';

/** What a missing package costs, said once: the compiler stops at the import, the AST rules do not. */
const SKIPPED =
  'until it is there, the compiler cannot check the files that import it (type errors, the stable signature and the upgrade check are skipped); the Stable Lens rules still run on them';

/** The package a compiler M0010 names, or undefined for another diagnostic. */
export function missingPackageOf(code: string, message: string): string | undefined {
  return code === 'M0010' ? /package "([^"]+)" not defined/.exec(message)?.[1] : undefined;
}

export type PackageSource = Pick<MotokoProject, 'kind' | 'packtool' | 'mopsToml' | 'vesselDependencies'>;

/**
 * Advice for a package that nothing in the project declares, fitting how the project gets its
 * packages; when declared packages are missing too, it is most likely one of their dependencies.
 */
function undeclaredAdvice(project: PackageSource, name: string, othersMissing: boolean): string {
  if (project.mopsToml && othersMissing)
    return `it is most likely a dependency of a declared package that is not installed either (\`mops install\` fetches both); if not, \`mops add ${name}\``;
  if (project.mopsToml) return `add it to mops.toml [dependencies] (\`mops add ${name}\`)`;
  if (project.packtool)
    return `dfx gets packages from \`${project.packtool}\`: install them, or let Stable Lens run it (\`--run-package-tools\`, \`stableLens.motoko.runPackageTools\`)`;
  if (project.vesselDependencies) return 'add it to the dependencies in vessel.dhall and run `vessel install`';
  return 'this file belongs to no project: a mops.toml that declares the package lets Stable Lens find it';
}

/** The note for a package that is declared (in mops.toml or vessel.dhall) but not installed. */
export function declaredMissing(name: string, spec: string | undefined, loc: Loc, tool: 'mops' | 'vessel'): Finding {
  const what = spec ? `\`${name}\` ${spec}` : `\`${name}\``;
  return { rule: MISSING_PACKAGE_CODE, severity: 'info', message: `${what} is not installed (run \`${tool} install\`): ${SKIPPED}`, loc };
}

/** The note for a package that files import but nothing declares, on the first import of it. */
export function undeclaredMissing(project: PackageSource, name: string, loc: Loc, othersMissing: boolean): Finding {
  return {
    rule: MISSING_PACKAGE_CODE,
    severity: 'info',
    message: `package \`${name}\` is imported but not declared or installed: ${undeclaredAdvice(project, name, othersMissing)}; ${SKIPPED}`,
    loc,
  };
}
