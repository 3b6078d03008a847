import { parseExposition } from './exposition';

test('expands histograms and collects label names from samples', () => {
  const text = [
    '# HELP request_duration_seconds d',
    '# TYPE request_duration_seconds histogram',
    'request_duration_seconds_bucket{le="0.1",route="/:phrase",service="api"} 3',
    'request_duration_seconds_sum{route="/:phrase",service="api"} 0.2',
    '# TYPE offndat_outbox_backlog gauge',
    '',
  ].join('\n');

  const series = parseExposition(text);

  expect([...series.keys()].sort()).toEqual([
    'offndat_outbox_backlog',
    'request_duration_seconds_bucket',
    'request_duration_seconds_count',
    'request_duration_seconds_sum',
  ]);
  expect([...(series.get('request_duration_seconds_bucket')?.labels ?? [])].sort()).toEqual(['le', 'route', 'service']);
  expect(series.get('offndat_outbox_backlog')?.labels.size).toBe(0);
});
