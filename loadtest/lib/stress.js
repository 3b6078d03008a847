'use strict';
// Reads the stress run's per-step numbers and names the breaking point: the first step where the service no
// longer keeps up (under 95 % of the offered rate delivered, > 1 % errors, or p95 over the limit).

function stressSteps(run, stepsText, cfg) {
  const steps = stepsText
    .split(',')
    .map(Number)
    .map((rate) => {
      const name = `step_${rate}`;
      const requests = run.values(`http_reqs{scenario:${name}}`)?.count ?? 0;
      const duration = run.values(`http_req_duration{scenario:${name}}`) ?? {};
      const errors =
        (run.values(`redirect_errors{scenario:${name}}`)?.count ?? 0) +
        (run.values(`create_errors{scenario:${name}}`)?.count ?? 0);
      const dropped = run.values(`dropped_iterations{scenario:${name}}`)?.count ?? 0;
      const delivered = requests / cfg.stepSec;
      const reasons = [];
      if (delivered < 0.95 * rate) reasons.push(`delivered ${Math.round((100 * delivered) / rate)} % of offered`);
      if (requests > 0 && errors / requests > 0.01) reasons.push(`${((100 * errors) / requests).toFixed(1)} % errors`);
      if ((duration['p(95)'] ?? 0) > cfg.breakP95Ms) reasons.push(`p95 > ${cfg.breakP95Ms} ms`);
      return {
        rate,
        requests,
        delivered,
        p50: duration.med,
        p95: duration['p(95)'],
        p99: duration['p(99)'],
        errors,
        dropped,
        reasons,
      };
    });
  const breaking = steps.find((s) => s.reasons.length > 0);
  const sustained = steps.filter((s) => s.reasons.length === 0 && (!breaking || s.rate < breaking.rate)).at(-1);
  return { steps, breakingRate: breaking?.rate, sustainedRate: sustained?.rate };
}

module.exports = { stressSteps };
