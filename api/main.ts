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
  const service = await startApiService(config, { logger });
  stopOnSignals({
    logger,
    stop: () => service.stop(),
    // Draining, then delivering the buffered visits, then closing connections.
    deadlineMs: config.SHUTDOWN_TIMEOUT_MS + BATCHING_DEFAULTS.closeTimeoutMs + 5_000,
  });
}

main().catch((error: unknown) => exitOnStartupError('offndat api', error));
