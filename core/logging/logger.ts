import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; services pass it (or a child) down explicitly. */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({ level: options.level, name: options.name, base: { service: options.name } });
}
