/** Unit tests sit beside the code; component tests under api/test and worker/test; cross-process tests under test/. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  testMatch: ['<rootDir>/{api,worker,core,test}/**/*.test.ts'],
  // test/serial disturbs shared services (a broker restart); scripts/test.sh runs it alone, after the rest.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/serial/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
