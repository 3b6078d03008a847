'use strict';
// What an HorizontalPodAutoscaler reports, read the same way for both autoscaling modes: KEDA's HPAs
// (keda-hpa-<name>) and the chart's own (autoscaling.mode=hpa) are both autoscaling/v2 objects.

/** Kubernetes quantity ("250m", "12", "1500k") as a number. */
function quantity(text) {
  if (text === undefined || text === null) return undefined;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(String(text));
  if (!match) return undefined;
  const scale = { '': 1, m: 1e-3, u: 1e-6, n: 1e-9, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
  return Number(match[1]) * (scale[match[2]] ?? NaN);
}

function metricKey(m) {
  if (m.type === 'Resource') return m.resource?.name ?? 'cpu';
  if (m.type === 'External') return m.external?.metric?.name ?? 'external';
  return m.type;
}

/** Each metric's target and the value the HPA last read, with value ÷ target (1 = on target). */
function hpaMetrics(hpa) {
  const current = new Map((hpa.status?.currentMetrics ?? []).map((m) => [metricKey(m), m]));
  return (hpa.spec?.metrics ?? []).map((spec) => {
    const key = metricKey(spec);
    const target = spec.type === 'Resource' ? spec.resource.target : spec.external?.target;
    const now = current.get(key);
    const status = spec.type === 'Resource' ? now?.resource?.current : now?.external?.current;
    let targetValue;
    let value;
    if (target?.type === 'Utilization') {
      targetValue = target.averageUtilization;
      value = status?.averageUtilization;
    } else if (target?.type === 'AverageValue') {
      targetValue = quantity(target.averageValue);
      value = quantity(status?.averageValue);
    } else {
      targetValue = quantity(target?.value);
      value = quantity(status?.value);
    }
    return {
      name: key,
      targetType: target?.type,
      target: targetValue,
      value,
      ratio: value !== undefined && targetValue ? value / targetValue : undefined,
    };
  });
}

function hpaState(hpa) {
  const conditions = Object.fromEntries((hpa.status?.conditions ?? []).map((c) => [c.type, c.status === 'True']));
  return {
    name: hpa.metadata.name,
    min: hpa.spec.minReplicas,
    max: hpa.spec.maxReplicas,
    desired: hpa.status?.desiredReplicas,
    current: hpa.status?.currentReplicas,
    scalingActive: conditions.ScalingActive,
    metrics: hpaMetrics(hpa),
  };
}

/** The HPA of each Deployment (by scaleTargetRef), for the Deployments named in `targets` ({api: name, ...}). */
function hpasByTarget(hpas, targets) {
  const out = {};
  for (const [role, name] of Object.entries(targets)) {
    const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.name === name);
    if (hpa) out[role] = hpaState(hpa);
  }
  return out;
}

/** The scale-down stabilisation window the HPA of `role` applies, in seconds (Kubernetes' default 300). */
function scaleDownWindow(hpas, name) {
  const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.name === name);
  return hpa?.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300;
}

module.exports = { quantity, hpaMetrics, hpasByTarget, scaleDownWindow };
