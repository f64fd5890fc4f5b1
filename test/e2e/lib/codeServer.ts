// Runs code-server on a fresh profile: install the .vsix, start on a free loopback port, stop the
// whole process group (the extension host and language server are its children).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER, NODE24_BIN } from './env';

// A clean window: no welcome page, no chat side bar or AI actions, nothing that tries the network.
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  // The LSP traffic lands in the Stable Lens log, which a failed run keeps in test/e2e/artifacts/.
  'stableLens.trace.server': 'messages',
};

export interface CodeServer {
  url: string;
  /** The profile folder: settings, extensions, logs. */
  dir: string;
  /** Every log line code-server and its extension hosts wrote. */
  logs(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function readTree(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.log'))
    .map((e) => `==> ${path.join(e.parentPath, e.name)}\n${fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')}`)
    .join('\n');
}

/** Kills the group, then waits for the leader; SIGKILL when SIGTERM is not enough. */
async function killGroup(child: ChildProcess): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // The group is gone already.
    }
  };
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  signal('SIGTERM');
  const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), 5000).unref());
  await Promise.race([exited, timer]);
  // Children such as the language server may outlive the leader: end the rest of the group.
  signal('SIGKILL');
}

export async function startCodeServer(workspace: string, vsix: string): Promise<CodeServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-lens-e2e-cs-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(path.join(data, 'User'), { recursive: true });
  fs.writeFileSync(path.join(data, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  // code-server writes a config.yaml on any start: keep it in this run's folder.
  const env = { ...process.env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH}`, XDG_CONFIG_HOME: path.join(dir, 'xdg') };
  const profile = ['--user-data-dir', data, '--extensions-dir', path.join(dir, 'ext')];

  const install = spawnSync(CODE_SERVER, [...profile, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
    throw new Error(`--install-extension failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  }

  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const args = [
    ...profile,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--reconnection-grace-time',
    '5',
    workspace,
  ];
  // detached: a new process group, so stop() reaches the extension host and the language server too.
  const child = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const killOnExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already stopped.
    }
  };
  // The test runner stops a file that hangs with a signal: take code-server down with it.
  const onSignal = (sig: NodeJS.Signals) => {
    killOnExit();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const url = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    url: `${url}/?folder=${encodeURIComponent(workspace)}`,
    dir,
    logs: () => `${fs.readFileSync(path.join(dir, 'server.log'), 'utf8')}\n${readTree(path.join(data, 'logs'))}`,
    stop: async () => {
      await killGroup(child);
      process.removeListener('exit', killOnExit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not come up on port ${port}:\n${server.logs()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}
