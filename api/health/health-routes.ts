import { Router } from 'express';
import type { ApiDeps, ReadinessCheck } from '../deps';

interface Entry {
  status: 'Healthy' | 'Degraded' | 'Unhealthy';
  duration: string;
  description?: string;
}

/** HealthChecks-UI style durations (hh:mm:ss.fffffff), as the original reports them. */
function duration(ms: number): string {
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = (totalSeconds % 60).toFixed(7).padStart(10, '0');
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${seconds}`;
}

async function run(check: ReadinessCheck, timeoutMs: number): Promise<Entry> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'Healthy', duration: duration(performance.now() - started) };
  } catch (error) {
    return {
      status: check.critical ? 'Unhealthy' : 'Degraded',
      duration: duration(performance.now() - started),
      description: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /health says the process is alive and touches nothing else (a liveness probe must not fail because a
 * dependency did). /ready checks every configured dependency and fails while shutting down or when a
 * critical one is unreachable.
 */
export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'Healthy', totalDuration: duration(0), entries: {} });
  });
  router.get('/ready', async (_req, res) => {
    const started = performance.now();
    const entries: Record<string, Entry> = {};
    const results = await Promise.all(deps.readiness.map((check) => run(check, 2000)));
    deps.readiness.forEach((check, index) => (entries[check.name] = results[index]!));
    if (deps.lifecycle.shuttingDown)
      entries.lifecycle = { status: 'Unhealthy', duration: duration(0), description: 'shutting down' };
    const statuses = Object.values(entries).map((entry) => entry.status);
    const status = statuses.includes('Unhealthy')
      ? 'Unhealthy'
      : statuses.includes('Degraded')
        ? 'Degraded'
        : 'Healthy';
    // HealthChecks-UI semantics: Degraded still serves traffic (200); only Unhealthy is 503.
    res
      .status(status === 'Unhealthy' ? 503 : 200)
      .json({ status, totalDuration: duration(performance.now() - started), entries });
  });
  return router;
}
