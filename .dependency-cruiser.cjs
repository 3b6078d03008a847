// The architecture's boundaries as rules that fail `make lint` (npm run lint:deps), so they cannot drift silently.
// Production code is api/, worker/ and core/ without their tests (*.test.ts, api/test/, worker/test/).
const PRODUCTION = '^(api|worker|core)/';
const TESTS = '(\\.test\\.ts$|^(api|worker)/test/|^test/)';
const CORE_FEATURES = '^core/(links|visits|phrases|vocabularies|catalogue|ratelimit|blocklist|audit)/';
const CORE_PLUMBING = '^core/(config|db|errors|lifecycle|logging|messaging|metrics)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one; split what both need into a third, or merge them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-not-to-worker',
      severity: 'error',
      comment: 'The api and the worker are separate processes; what both need belongs in core/.',
      from: { path: '^api/' },
      to: { path: '^worker/' },
    },
    {
      name: 'worker-not-to-api',
      severity: 'error',
      comment: 'The api and the worker are separate processes; what both need belongs in core/.',
      from: { path: '^worker/' },
      to: { path: '^api/' },
    },
    {
      name: 'core-not-to-services',
      severity: 'error',
      comment: 'core/ is shared by both services and owned by neither, so it depends on neither (nor on tooling).',
      from: { path: '^core/' },
      to: { path: '^(api|worker|scripts|loadtest)/' },
    },
    {
      name: 'core-is-framework-free',
      severity: 'error',
      comment: 'HTTP frameworks stay in api/; core/ is plain TypeScript over its adapters.',
      from: { path: '^core/' },
      to: { path: 'node_modules/(express|cors|compression|swagger-ui-dist|@asteasolutions/zod-to-openapi)/' },
    },
    {
      name: 'plumbing-not-to-features',
      severity: 'error',
      comment: 'Shared plumbing (messaging, db, config...) knows no feature; features depend on it, never the reverse.',
      from: { path: CORE_PLUMBING },
      to: { path: CORE_FEATURES },
    },
    {
      name: 'production-not-to-tests',
      severity: 'error',
      comment: 'Production code never reaches into tests or their harnesses.',
      from: { path: PRODUCTION, pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: 'production-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'Images install production dependencies only (npm ci --omit=dev); a devDependency would be missing there.',
      from: { path: PRODUCTION, pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-packages',
      severity: 'error',
      comment: 'Every package imported is declared in package.json, not just present through another one.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage)/' },
    // `import type` counts too: a type-only cycle is still two modules that cannot be understood apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
