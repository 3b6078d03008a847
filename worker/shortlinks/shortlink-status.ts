import type { KubeObject } from './kube-objects';
import type { Outcome } from './reconcile-shortlink';

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

/**
 * The status a ShortLink shows after a reconcile: its phrase and URL, the generation it reflects, and a Ready
 * condition whose lastTransitionTime moves only when Ready flips.
 */
export function statusFor(
  resource: KubeObject,
  outcome: Outcome,
  baseUrl: string,
  now = new Date(),
): Record<string, unknown> {
  const generation = resource.metadata.generation;
  const previous = ((resource.status?.conditions ?? []) as Condition[]).find((c) => c.type === 'Ready');
  const status = outcome.ready ? 'True' : 'False';
  const ready: Condition = {
    type: 'Ready',
    status,
    reason: outcome.reason,
    message: outcome.message,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    lastTransitionTime:
      previous?.status === status ? previous.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return {
    ...(outcome.phrase === undefined ? {} : { phrase: outcome.phrase, url: `${baseUrl}/${outcome.phrase}` }),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions: [ready],
  };
}
