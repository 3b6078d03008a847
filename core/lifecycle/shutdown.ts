import type { Logger } from '../logging/logger';

export interface ShutdownOptions {
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Graceful stop: drain, flush, close. */
  readonly stop: () => Promise<void>;
  /** Past this, the process exits anyway (non-zero), before the orchestrator's SIGKILL. */
  readonly deadlineMs: number;
}

/**
 * SIGTERM (Kubernetes, `npm start` forwarding it) or SIGINT (Ctrl-C) starts one graceful stop; the process exits 0
 * once it completes, 1 if it fails or outlives the deadline. Later signals change nothing: the same Ctrl-C can
 * arrive twice (from the terminal and forwarded by a parent), and the deadline already bounds the wait.
 */
export function stopOnSignals(options: ShutdownOptions): void {
  const { logger } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.warn({ deadlineMs: options.deadlineMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    options.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
