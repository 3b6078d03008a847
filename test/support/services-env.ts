import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Written by `scripts/services.sh up` (`make services-up`); one KEY=VALUE per line. */
export const SERVICES_ENV_FILE = join(__dirname, '..', '..', '.data', 'services.env');

export function parseEnvFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const equals = line.indexOf('=');
    if (line === '' || line.startsWith('#') || equals < 1) continue;
    entries[line.slice(0, equals).trim()] = line
      .slice(equals + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
  }
  return entries;
}

/**
 * Copies the file's settings into `env`, keeping anything already set there so a caller can point tests at
 * other servers. Returns false when the file does not exist (unit-only runs need no services).
 */
export function loadServicesEnv(env: NodeJS.ProcessEnv = process.env, file = SERVICES_ENV_FILE): boolean {
  if (!existsSync(file)) return false;
  for (const [key, value] of Object.entries(parseEnvFile(readFileSync(file, 'utf8')))) {
    if (env[key] === undefined || env[key] === '') env[key] = value;
  }
  return true;
}

/** The named service setting, or an error that says how to get it (rather than a confusing connect failure). */
export function serviceEnv(name: string): string {
  if (!process.env[name]) loadServicesEnv();
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: start the test services with \`make services-up\` (writes ${SERVICES_ENV_FILE})`,
    );
  }
  return value;
}
