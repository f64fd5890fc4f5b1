/** What the server logs through: `connection.console` in the server, an array in tests. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

/**
 * Logs every distinct problem once. A rule or feature that throws on every keystroke would
 * otherwise flood the output channel and hide the first, most useful message.
 */
export class Logger {
  private readonly seen = new Set<string>();
  verbose = false;

  constructor(private readonly sink: LogSink) {}

  once(key: string, message: string, level: 'error' | 'warn' | 'info' = 'warn'): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.sink[level](message);
  }

  info(message: string): void {
    this.sink.info(message);
  }

  /** Only printed when `stableLens.trace.server` is `verbose`. */
  trace(message: string): void {
    if (this.verbose) this.sink.log(message);
  }

  failure(what: string, error: unknown): void {
    const text = describe(error);
    this.once(`${what}\n${text.split('\n')[0]}`, `Stable Lens: ${what} failed and was skipped: ${text}`, 'error');
  }

  /** Runs one feature; a throw is logged once and the fallback answered, so the server never goes down. */
  guard<T>(what: string, run: () => T, fallback: T): T {
    try {
      return run();
    } catch (error) {
      this.failure(what, error);
      return fallback;
    }
  }

  async guardAsync<T>(what: string, run: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.failure(what, error);
      return fallback;
    }
  }

  /** Keeps the process alive after a stray rejection or exception, and says where it came from. */
  installProcessHandlers(): void {
    process.on('unhandledRejection', (reason) => this.failure('an asynchronous task', reason));
    process.on('uncaughtException', (error) => this.failure('a callback', error));
  }
}
