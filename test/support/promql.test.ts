import { selectedMetricNames, substituteGrafanaVariables } from './promql';

describe('substituteGrafanaVariables', () => {
  test('turns interval variables and [$var] ranges into a duration', () => {
    expect(substituteGrafanaVariables('rate(x[$__rate_interval]) + rate(y[${__interval}]) + rate(z[$window])')).toBe(
      'rate(x[5m]) + rate(y[5m]) + rate(z[5m])',
    );
  });

  test('turns other variables into a word inside label values', () => {
    expect(substituteGrafanaVariables('x{namespace="$namespace", pod=~"${pod:regex}", s="[[service]]"}')).toBe(
      'x{namespace="offndat", pod=~"offndat", s="offndat"}',
    );
  });
});

describe('selectedMetricNames', () => {
  test('finds selector names but not functions, labels or aggregations', () => {
    const { names } = selectedMetricNames(
      'histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{service="api"}[5m]))) / on() group_left sum(up)',
    );

    expect([...names].sort()).toEqual(['request_duration_seconds_bucket', 'up']);
  });

  test('reads exact __name__ matchers and reports regex ones as unresolved', () => {
    const { names, unresolved } = selectedMetricNames('{__name__="requests_total"} + {__name__=~"offndat_.*"}');

    expect([...names]).toEqual(['requests_total']);
    expect(unresolved).toEqual(['__name__=~"offndat_.*"']);
  });
});
