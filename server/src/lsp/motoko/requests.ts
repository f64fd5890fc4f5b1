import { within } from '../../core/fileSystem';
import * as path from 'node:path';
import type { CancellationToken, CodeAction, CodeActionParams, Hover, HoverParams } from 'vscode-languageserver';
import type { MotokoCanisterMapJson } from '../../protocol/memoryMap';
import { persistenceMode } from '../../motoko/project/flags';
import { flagsFor } from '../../motoko/project/project';
import { BUNDLED_TOOLCHAIN, describeToolchain } from '../../motoko/project/toolchain';
import type { SignatureResult } from '../../motoko/compiler/protocol';
import { motokoCanisterMap } from '../../motoko/analysis/memoryMap';
import { codeActions } from '../codeActions';
import type { EditContext } from '../edits';
import type { Logger } from '../log';
import type { MotokoWorkspace } from './workspace';
import { motokoHover, motokoTargetAt } from './hover';
import type { Uris } from '../uris';

/** How long a hover waits for a stable signature before it answers without one. */
const SIGNATURE_WAIT_MS = 20_000;

export function isMotokoUri(uri: string): boolean {
  return /\.mo$/i.test(uri.split(/[?#]/)[0]);
}

/** The Motoko answers of the per-file requests and of the memory map. */
export class MotokoRequests {
  constructor(
    private readonly ws: MotokoWorkspace,
    private readonly uris: Uris,
    private readonly log: Logger,
  ) {}

  hover(p: HoverParams, token: CancellationToken): Promise<Hover | null> {
    return this.log.guardAsync(
      'a Motoko hover',
      async () => {
        const file = this.uris.toPath(p.textDocument.uri);
        const result = file ? await untilCancelled(this.ws.resultFor(file), token) : undefined;
        const project = file ? this.ws.projectOf(file) : undefined;
        if (!file || !result || !project || token.isCancellationRequested) return null;
        const target = motokoTargetAt(result, result.lines.offset(p.position));
        if (!target) return null;
        const signature = () => withTimeout(this.ws.signature(file), SIGNATURE_WAIT_MS);
        const toolchain = describeToolchain(project.toolchain ?? BUNDLED_TOOLCHAIN);
        return motokoHover(result, target, persistenceMode(flagsFor(project, file).args), signature, toolchain);
      },
      null,
    );
  }

  codeActions(p: CodeActionParams, token: CancellationToken, edits: EditContext): Promise<CodeAction[]> {
    return this.log.guardAsync(
      'Motoko code actions',
      async () => {
        const file = this.uris.toPath(p.textDocument.uri);
        const result = file ? await untilCancelled(this.ws.resultFor(file), token) : undefined;
        if (!file || !result || token.isCancellationRequested) return [];
        return codeActions(this.ws.actionable(result), file, p.context, edits);
      },
      [],
    );
  }

  /** Each Motoko canister with its stable variables; signatures are compiled now when not cached. */
  memoryMap(cwd: string, target: string | undefined): Promise<MotokoCanisterMapJson[]> {
    return this.log.guardAsync(
      'the Motoko memory map',
      async () => {
        const out: MotokoCanisterMapJson[] = [];
        for (const project of this.ws.allProjects()) {
          if (target && !within(target, project.root) && !within(project.root, target)) continue;
          for (const file of project.files) await this.ws.resultFor(file);
          const names = new Map(project.canisters.map((c) => [c.main, c.name]));
          for (const main of this.ws.mains(project)) {
            const result = await this.ws.resultFor(main);
            if (!result) continue;
            const signature = await this.ws.signature(main);
            const name = names.get(main) ?? result.model?.actors[0]?.name ?? path.basename(main, '.mo');
            const entry = motokoCanisterMap(name, result, signature, project.root, cwd, project.toolchain);
            if (entry) out.push(entry);
          }
        }
        return out;
      },
      [],
    );
  }
}

/** Resolves undefined once the request is cancelled: a long compiler check must not hold the answer. */
function untilCancelled<T>(promise: Promise<T>, token: CancellationToken): Promise<T | undefined> {
  if (token.isCancellationRequested) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const cancelled = token.onCancellationRequested(() => resolve(undefined));
    promise.then(resolve, reject).finally(() => cancelled.dispose());
  });
}

function withTimeout(promise: Promise<SignatureResult | undefined>, ms: number): Promise<SignatureResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
