import { isSeveritySetting, type AnalysisConfig, parseBaselineSpec } from '../core/config';
import type { StableLensSettings } from '../protocol/requests';
import { ruleById } from '../rules/registry';
import type { SeveritySetting } from '../core/findings';
import type { Logger } from './log';

export const DEFAULT_SETTINGS: StableLensSettings = {
  enable: true,
  rules: {},
  inlayHints: { enable: true },
  baseline: 'lockfile',
  motoko: { runPackageTools: false, compilerDiagnostics: 'upgrade' },
  trace: { server: 'off' },
};

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads `a.b` whether the client sent it nested (`{a: {b}}`, VS Code) or flat (`{'a.b': ...}`). */
function pick(raw: Raw, dotted: string): unknown {
  if (dotted in raw) return raw[dotted];
  const dot = dotted.indexOf('.');
  if (dot < 0) return undefined;
  const inner = raw[dotted.slice(0, dot)];
  return isObject(inner) ? pick(inner, dotted.slice(dot + 1)) : undefined;
}

/** Turns whatever the client sent into settings; unknown rules and bad values are logged once and ignored. */
export function parseSettings(value: unknown, log: Logger): StableLensSettings {
  const raw = isObject(value) ? value : {};
  const rules: Record<string, SeveritySetting> = {};
  const ruleEntries: [string, unknown][] = [];
  const nested = pick(raw, 'rules');
  if (isObject(nested)) ruleEntries.push(...Object.entries(nested));
  for (const [k, v] of Object.entries(raw)) if (k.startsWith('rules.')) ruleEntries.push([k.slice('rules.'.length), v]);
  for (const [id, v] of ruleEntries) {
    if (!ruleById(id)) log.once(`setting:${id}`, `Stable Lens: setting stableLens.rules.${id} names no rule and is ignored`);
    else if (!isSeveritySetting(v))
      log.once(`setting:${id}:${String(v)}`, `Stable Lens: stableLens.rules.${id} = ${JSON.stringify(v)} is not off, hint, info, warning, error or default`);
    else rules[id] = v;
  }
  const bool = (key: string, fallback: boolean) => {
    const v = pick(raw, key);
    return typeof v === 'boolean' ? v : fallback;
  };
  const trace = pick(raw, 'trace.server');
  return {
    enable: bool('enable', true),
    rules,
    inlayHints: { enable: bool('inlayHints.enable', true) },
    baseline: baselineSetting(pick(raw, 'baseline'), log),
    motoko: {
      runPackageTools: bool('motoko.runPackageTools', false),
      compilerDiagnostics: compilerDiagnosticsSetting(pick(raw, 'motoko.compilerDiagnostics'), log),
    },
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
  };
}

function compilerDiagnosticsSetting(v: unknown, log: Logger): 'upgrade' | 'all' | 'none' {
  if (v === undefined || v === 'upgrade' || v === 'all' || v === 'none') return v ?? 'upgrade';
  log.once(
    `setting:compilerDiagnostics:${String(v)}`,
    `Stable Lens: stableLens.motoko.compilerDiagnostics = ${JSON.stringify(v)} is not upgrade, all or none; using upgrade`,
  );
  return 'upgrade';
}

function baselineSetting(v: unknown, log: Logger): string {
  if (v === undefined) return 'lockfile';
  const spec = parseBaselineSpec(typeof v === 'string' ? v : undefined);
  if ('error' in spec) {
    log.once(`setting:baseline:${String(v)}`, `Stable Lens: stableLens.baseline: ${spec.error}; using the lockfile`);
    return 'lockfile';
  }
  return v as string;
}

export function analysisConfig(settings: StableLensSettings): AnalysisConfig {
  const spec = parseBaselineSpec(settings.baseline);
  return { rules: settings.rules, baseline: 'error' in spec ? undefined : spec, motokoDiagnostics: settings.motoko.compilerDiagnostics };
}

/** Pulls settings for a scope (a crate's folder) once, until the client says they changed. */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<StableLensSettings>>();
  private pushed: unknown;

  constructor(
    private readonly pull: ((scopeUri: string) => Promise<unknown>) | undefined,
    private readonly log: Logger,
  ) {}

  get(scopeUri: string): Promise<StableLensSettings> {
    let found = this.cache.get(scopeUri);
    if (!found) {
      found = this.load(scopeUri);
      this.cache.set(scopeUri, found);
    }
    return found;
  }

  private async load(scopeUri: string): Promise<StableLensSettings> {
    let raw: unknown = this.pushed;
    if (this.pull) {
      try {
        raw = await this.pull(scopeUri);
      } catch (error) {
        this.log.failure('reading the stableLens settings', error);
      }
    }
    const settings = parseSettings(raw, this.log);
    this.log.verbose ||= settings.trace.server === 'verbose';
    return settings;
  }

  /** `workspace/didChangeConfiguration`: push-only clients send the settings along. */
  changed(pushed: unknown): void {
    if (isObject(pushed) && isObject(pushed.stableLens)) this.pushed = pushed.stableLens;
    this.cache.clear();
    this.log.verbose = false;
  }
}
