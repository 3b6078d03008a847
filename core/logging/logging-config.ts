import { z } from 'zod';
import { choice, LOG_LEVELS } from '../config/env';

/** Keys every process reads for its logger. */
export const loggingConfigSchema = z.object({
  LOG_LEVEL: choice('pino level: fatal, error, warn, info, debug, trace or silent.', LOG_LEVELS, 'info'),
});
