import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { MetricsCollector } from '../../core/metrics/pool-gauge';
import { sendProblem } from '../http/problem';

/**
 * `GET /metrics` as a plain `node:http` handler (mountable in Express as is). Collectors refresh gauges that
 * are read from live objects (database pools) just before the registry is serialised.
 */
export function createMetricsHandler(
  registry: Registry,
  collectors: readonly MetricsCollector[] = [],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      for (const collect of collectors) collect();
    } catch (error) {
      sendProblem(req, res, error);
      return;
    }
    registry.metrics().then(
      (body) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', registry.contentType);
        res.setHeader('Cache-Control', 'no-store');
        res.end(body);
      },
      (error: unknown) => sendProblem(req, res, error),
    );
  };
}
