import { startEmbeddedPostgres } from '../core/db/embedded-postgres';
import { exitOnStartupError } from '../core/lifecycle/startup-error';
import { stopOnSignals } from '../core/lifecycle/shutdown';
import { createLogger } from '../core/logging/logger';
import { BATCHING_DEFAULTS } from '../core/visits/batching-visit-sink';
import { loadApiConfig } from './config';
import { startApiService } from './service';

/** The api process: config, then the service (which wires every adapter), then signals. */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ directory: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, logger });
  const service = await startApiService({ ...config, DATABASE_URL: config.DATABASE_URL ?? embedded!.url }, { logger });
  stopOnSignals({
    logger,
    stop: async () => {
      await service.stop();
      await embedded?.stop();
    },
    // Draining, then delivering the buffered visits, then closing connections.
    deadlineMs: config.SHUTDOWN_TIMEOUT_MS + BATCHING_DEFAULTS.closeTimeoutMs + 5_000,
  });
}

main().catch((error: unknown) => exitOnStartupError('offndat api', error));
