/** Unit tests sit beside the code; component tests under api/test and worker/test; the rest under test/ (see test/README.md). */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  testMatch: ['<rootDir>/{api,worker,core,test}/**/*.test.ts'],
  // *.serial.test.ts disturb shared services (a broker restart); scripts/test.sh runs them alone, after the rest.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.serial\\.test\\.ts$'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
