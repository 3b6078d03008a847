import { exitOnStartupError } from '../core/lifecycle/startup-error';
import { stopOnSignals } from '../core/lifecycle/shutdown';
import { createLogger } from '../core/logging/logger';
import { loadWorkerConfig } from './config';
import { startWorkerService } from './service';

/** The worker process: config, then the service (which wires every adapter), then signals. */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker' });
  const service = await startWorkerService(config, { logger });
  // Past the deadline whatever is unacked is simply redelivered to another replica; exit before SIGKILL.
  stopOnSignals({ logger, stop: () => service.stop(), deadlineMs: config.SHUTDOWN_TIMEOUT_MS });
}

main().catch((error: unknown) => exitOnStartupError('offndat worker', error));
