/** Unit tests sit beside the code; component tests under api/test and worker/test; the rest under test/ (see test/README.md). */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // The cluster runner's reading of HPA status and its verdicts are plain JavaScript, tested beside it.
  testMatch: ['<rootDir>/{api,worker,core,test}/**/*.test.ts', '<rootDir>/loadtest/cluster/*.test.js'],
  // *.serial.test.ts disturb shared services (a broker restart); scripts/test.sh runs them alone, after the rest.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.serial\\.test\\.ts$'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
