import { dropStaleTestVhosts } from './amqp';
import { dropStaleTestDatabases } from './database';
import { loadServicesEnv, SERVICES_ENV_FILE } from './services-env';

/**
 * Jest globalSetup: exposes the test services' URLs to every worker (workers inherit this process's env).
 * A missing file is not an error here, so unit tests run without any server; tests that need one fail
 * through `serviceEnv()` with instructions.
 */
export default async function globalSetup(): Promise<void> {
  if (!loadServicesEnv()) {
    process.stderr.write(
      `\nNote: ${SERVICES_ENV_FILE} is missing; tests that need PostgreSQL, Redis or RabbitMQ will fail. Run \`make services-up\`.\n`,
    );
    return;
  }
  // Databases and vhosts of killed runs would pile up on the shared servers; a stopped server is the tests'
  // problem, not the setup's.
  await Promise.all([dropStaleTestDatabases().catch(() => undefined), dropStaleTestVhosts().catch(() => undefined)]);
}
