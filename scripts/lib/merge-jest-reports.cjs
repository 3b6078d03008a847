// Sums jest --json reports (the parallel and the serial phase of `make test`) into one, for .ci/run's summary.
// Usage: node merge-jest-reports.cjs OUT IN...   (missing inputs are skipped; no input at all writes nothing)
const fs = require('node:fs');

const [out, ...inputs] = process.argv.slice(2);
const reports = inputs.filter((file) => fs.existsSync(file)).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
if (reports.length > 0) {
  const counts = [
    'numPassedTests',
    'numFailedTests',
    'numPendingTests',
    'numTotalTests',
    'numRuntimeErrorTestSuites',
    'numFailedTestSuites',
    'numPassedTestSuites',
    'numTotalTestSuites',
  ];
  const merged = {
    ...reports[0],
    success: reports.every((r) => r.success),
    testResults: reports.flatMap((r) => r.testResults ?? []),
  };
  for (const key of counts) merged[key] = reports.reduce((sum, r) => sum + (r[key] ?? 0), 0);
  fs.writeFileSync(out, JSON.stringify(merged));
}
