'use strict';
const { chaosFacts, workerBacklogFacts } = require('./verdicts');

const sample = (t, k6, extra = {}) => ({ t, k6, ...extra });

function chaosResult(overrides) {
  return {
    id: 'redis-pod',
    served: 100,
    visits: { rows: 100, counters: 100 },
    recoverySec: 12,
    k6: { redirect: { 301: 100 }, create: { 201: 10 }, createFailedNotProblem: 0 },
    samples: [
      sample(0, { redirect: { 301: 0 }, create: {} }),
      sample(3, { redirect: { 301: 100 }, create: { 201: 10 } }),
    ],
    ...overrides,
  };
}

describe('chaosFacts', () => {
  it('meets a scenario with no failed request and every visit stored once', () => {
    expect(chaosFacts(chaosResult()).verdict).toBe('met');
  });

  it('says how many visits were lost', () => {
    const facts = chaosFacts(chaosResult({ visits: { rows: 97, counters: 97 } }));

    expect(facts.visits.text).toContain('3 lost');
    expect(facts.verdict).toMatch(/^short/);
  });

  it('says how many visits were counted twice', () => {
    expect(chaosFacts(chaosResult({ visits: { rows: 102, counters: 102 } })).visits.text).toContain('2 doubled');
  });

  it('falls short on any failed request, by status, and finds when they happened', () => {
    const result = chaosResult({
      k6: { redirect: { 301: 98, 0: 2 }, create: { 201: 10 }, createFailedNotProblem: 0 },
      samples: [
        sample(0, { redirect: { 301: 0 }, create: {} }),
        sample(3, { redirect: { 301: 40, 0: 1 }, create: {} }),
        sample(6, { redirect: { 301: 70, 0: 1 }, create: {} }),
        sample(9, { redirect: { 301: 98, 0: 2 }, create: {} }),
      ],
    });

    const facts = chaosFacts(result);

    expect(facts.redirects).toEqual({ 0: 2 });
    expect(facts.window).toEqual({ first: 3, last: 9 });
    expect(facts.verdict).toBe('short: requests failed');
  });

  it('accepts 503 problem+json creations during a database failover, and nothing else', () => {
    const failover = (create, notProblem = 0) =>
      chaosFacts(
        chaosResult({ id: 'pg-primary', k6: { redirect: { 301: 100 }, create, createFailedNotProblem: notProblem } }),
      ).verdict;

    expect(failover({ 201: 8, 503: 2 })).toBe('met');
    expect(failover({ 201: 8, 500: 2 })).toMatch(/creates failed with 500/);
    expect(failover({ 201: 8, 503: 2 }, 1)).toMatch(/not problem\+json/);
  });

  it('falls short when creations were still failing as the load ended', () => {
    const failover = (after) =>
      chaosFacts(
        chaosResult({
          id: 'pg-primary',
          k6: { redirect: { 301: 100 }, create: { 201: 8, 503: 2 }, createFailedNotProblem: 0 },
          samples: [
            sample(0, { redirect: { 301: 0 }, create: {} }),
            sample(3, { redirect: { 301: 50 }, create: { 201: 5 } }),
            sample(6, { redirect: { 301: 80 }, create: { 201: 5, 503: 2 } }),
            sample(9, { redirect: { 301: 100 }, create: after }),
          ],
        }),
      ).verdict;

    expect(failover({ 201: 8, 503: 2 })).toBe('met');
    expect(failover({ 201: 5, 503: 3 })).toMatch(/still failing when the load ended/);
  });
});

describe('workerBacklogFacts', () => {
  it('measures the drain from the release, and the return to the minimum (desired and ready) from the end of the load', () => {
    const worker = (ready, desired = ready) => ({ ready, desired });
    const result = {
      served: 10,
      visits: { rows: 10, counters: 10 },
      marks: [
        { t: 10, label: 'worker released' },
        { t: 40, label: 'load ends' },
      ],
      samples: [
        { t: 5, brokerReady: 300, worker: worker(0), hpa: { worker: { min: 1 } } },
        { t: 13, brokerReady: 250, worker: worker(1, 4) },
        { t: 22, brokerReady: 2, worker: worker(4) },
        { t: 46, brokerReady: 0, worker: worker(4, 1) },
        { t: 52, brokerReady: 0, worker: worker(1) },
      ],
    };

    const facts = workerBacklogFacts(result);

    expect(facts).toMatchObject({ peakDepth: 300, maxWorkers: 4, drainSec: 12, backToMin: 12, verdict: 'met' });
  });
});
