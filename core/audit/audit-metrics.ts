import type { Metrics } from '../metrics/metrics';
import { AUDIT_ACTIONS, type AuditAction } from './audit-log';

/** Counts audited actions; every action's series exists from the start at 0, so the first one shows in rate(). */
export function countAdminActions(metrics: Pick<Metrics, 'adminActions'>): (action: AuditAction) => void {
  const counters = new Map(AUDIT_ACTIONS.map((action) => [action, metrics.adminActions.labels(action)] as const));
  for (const counter of counters.values()) counter.inc(0);
  return (action) => counters.get(action)?.inc();
}
