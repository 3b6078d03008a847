'use strict';
const { quantity, hpaMetrics, hpasByTarget } = require('./hpa');

// An autoscaling/v2 HPA as KEDA creates it for the api: a Value-typed external metric and CPU.
const kedaApiHpa = {
  metadata: { name: 'keda-hpa-offndat-api' },
  spec: {
    scaleTargetRef: { name: 'offndat-api' },
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [
      { type: 'External', external: { metric: { name: 's0-prometheus' }, target: { type: 'Value', value: '250m' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ],
  },
  status: {
    desiredReplicas: 3,
    currentReplicas: 2,
    currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 140, averageValue: '35m' } } },
      { type: 'External', external: { metric: { name: 's0-prometheus' }, current: { value: '500m' } } },
    ],
    conditions: [{ type: 'ScalingActive', status: 'True' }],
  },
};

describe('quantity', () => {
  it('reads milli, plain and binary-suffixed quantities', () => {
    expect(quantity('250m')).toBeCloseTo(0.25);
    expect(quantity('12')).toBe(12);
    expect(quantity('1Ki')).toBe(1024);
    expect(quantity(undefined)).toBeUndefined();
  });
});

describe('hpaMetrics', () => {
  it('pairs each metric with its current value whatever the status order', () => {
    const [p95, cpu] = hpaMetrics(kedaApiHpa);

    expect(p95).toMatchObject({ name: 's0-prometheus', targetType: 'Value', target: 0.25, value: 0.5 });
    expect(p95.ratio).toBeCloseTo(2);
    expect(cpu).toMatchObject({ name: 'cpu', target: 70, value: 140, ratio: 2 });
  });

  it('reads AverageValue targets (the worker queue depth per replica)', () => {
    const hpa = {
      spec: {
        metrics: [
          {
            type: 'External',
            external: {
              metric: { name: 'offndat_rabbitmq_queue_depth' },
              target: { type: 'AverageValue', averageValue: '50' },
            },
          },
        ],
      },
      status: {
        currentMetrics: [
          {
            type: 'External',
            external: { metric: { name: 'offndat_rabbitmq_queue_depth' }, current: { averageValue: '125' } },
          },
        ],
      },
    };

    expect(hpaMetrics(hpa)[0]).toMatchObject({ target: 50, value: 125, ratio: 2.5 });
  });

  it('leaves the value out while the HPA has not read the metric yet', () => {
    const [p95] = hpaMetrics({ ...kedaApiHpa, status: {} });

    expect(p95.value).toBeUndefined();
    expect(p95.ratio).toBeUndefined();
  });
});

describe('hpasByTarget', () => {
  it('finds the HPA of each Deployment by its scale target', () => {
    const byRole = hpasByTarget([kedaApiHpa], { api: 'offndat-api', worker: 'offndat-worker' });

    expect(byRole.api).toMatchObject({ desired: 3, current: 2, min: 1, max: 4, scalingActive: true });
    expect(byRole.worker).toBeUndefined();
  });
});
