import { listDir, type FileSystem } from '../../core/fileSystem';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { looseProject, readProject, type MotokoProject } from './project';

export interface MotokoDiscovery {
  projects: MotokoProject[];
  /** When files were named explicitly, only their findings are reported; their projects are still read whole. */
  onlyFiles?: Set<string>;
}

function isDir(p: string): boolean {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder at or above `dir` that is a Motoko project. */
function projectAbove(fs: FileSystem, dir: string, warn: (m: string) => void, cache: Map<string, MotokoProject | undefined>): MotokoProject | undefined {
  for (let d = dir; ;) {
    if (!cache.has(d)) cache.set(d, readProject(fs, d, warn));
    const found = cache.get(d);
    if (found) return found;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/**
 * Finds the Motoko projects under the given files or folders. Each `.mo` file joins the nearest
 * project above it; files with none form one loose project per folder. Projects read all their
 * files, since imports need them, even when only some files were named.
 */
export function discoverMotokoProjects(fs: FileSystem, inputs: string[], warn: (m: string) => void): MotokoDiscovery {
  const cache = new Map<string, MotokoProject | undefined>();
  const moFiles = new Set<string>();
  let onlyFiles: Set<string> | undefined;
  for (const input of inputs.map((p) => path.resolve(p))) {
    if (isDir(input)) {
      for (const f of fs.walk(input, warn)) if (f.endsWith('.mo')) moFiles.add(f);
    } else if (input.endsWith('.mo') && fs.exists(input)) {
      onlyFiles ??= new Set();
      onlyFiles.add(input);
      moFiles.add(input);
    }
  }
  const byRoot = new Map<string, MotokoProject>();
  const loose = new Map<string, string[]>();
  for (const file of moFiles) {
    const project = projectAbove(fs, path.dirname(file), warn, cache);
    if (project) byRoot.set(project.root, project);
    else loose.set(path.dirname(file), [...(loose.get(path.dirname(file)) ?? []), file]);
  }
  for (const project of byRoot.values()) {
    project.files = fs.walk(project.root, warn).filter((f) => f.endsWith('.mo'));
    // A file named explicitly but not yet on disk under the root (an open buffer) still belongs here.
    for (const f of moFiles) if (f.startsWith(project.root + path.sep) && !project.files.includes(f)) project.files.push(f);
  }
  const projects = [...byRoot.values()];
  // Nested projects claim their own files: a file is checked with the deepest project only.
  for (const p of projects) {
    const inner = projects.filter((q) => q !== p && q.root.startsWith(p.root + path.sep));
    p.files = p.files.filter((f) => !inner.some((q) => f.startsWith(q.root + path.sep))).sort();
  }
  for (const [dir, files] of loose) {
    // Loose files import their neighbours by relative path, so the whole folder is read.
    const neighbours = listDir(dir)
      .filter((n) => n.endsWith('.mo'))
      .map((n) => path.join(dir, n));
    projects.push(looseProject(dir, [...new Set([...files, ...neighbours])].sort()));
  }
  projects.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return { projects, onlyFiles };
}
