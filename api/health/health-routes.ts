import { Router } from 'express';
import type { Logger } from '../../core/logging/logger';
import type { ApiDeps, ReadinessCheck } from '../deps';

type Status = 'Healthy' | 'Degraded' | 'Unhealthy';

/** Names and states only: an error's text can carry hosts, ports and user names, which /ready must not show. */
interface Entry {
  status: Status;
  duration: string;
}

/** Below the probes' 3 s timeout, so a hung dependency is reported instead of failing the probe itself. */
const CHECK_TIMEOUT_MS = 1_000;

/** HealthChecks-UI style durations (hh:mm:ss.fffffff), as the original reports them. */
function duration(ms: number): string {
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = (totalSeconds % 60).toFixed(7).padStart(10, '0');
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${seconds}`;
}

async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(check: ReadinessCheck, logger: Pick<Logger, 'debug'>): Promise<Entry> {
  const started = performance.now();
  const failure = await within(check.check(), CHECK_TIMEOUT_MS).then(
    () => undefined,
    (error: unknown) => error ?? new Error('failed'),
  );
  let status: Status = 'Healthy';
  if (failure !== undefined) {
    logger.debug({ check: check.name, err: failure }, 'readiness check failed');
    const covered =
      check.critical && check.fallback ? await within(check.fallback(), CHECK_TIMEOUT_MS).catch(() => false) : false;
    status = check.critical && !covered ? 'Unhealthy' : 'Degraded';
  }
  return { status, duration: duration(performance.now() - started) };
}

/**
 * /health says the process is alive and touches nothing else: a liveness probe must never restart a pod
 * because a dependency (the database) is down. /ready runs the checks of `readiness-checks.ts`: Unhealthy
 * (503) while shutting down or when a critical check fails with nothing to fall back on; Degraded (200)
 * when the pod still serves what it can.
 */
export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'Healthy', totalDuration: duration(0), entries: {} });
  });
  router.get('/ready', async (_req, res) => {
    const started = performance.now();
    const entries: Record<string, Entry> = {};
    const results = await Promise.all(deps.readiness.map((check) => run(check, deps.logger)));
    deps.readiness.forEach((check, index) => (entries[check.name] = results[index]!));
    if (deps.lifecycle.shuttingDown) entries.lifecycle = { status: 'Unhealthy', duration: duration(0) };
    const statuses = Object.values(entries).map((entry) => entry.status);
    const status = statuses.includes('Unhealthy')
      ? 'Unhealthy'
      : statuses.includes('Degraded')
        ? 'Degraded'
        : 'Healthy';
    // HealthChecks-UI semantics: Degraded still serves traffic (200); only Unhealthy is 503.
    res
      .status(status === 'Unhealthy' ? 503 : 200)
      .setHeader('Cache-Control', 'no-store')
      .json({ status, totalDuration: duration(performance.now() - started), entries });
  });
  return router;
}
