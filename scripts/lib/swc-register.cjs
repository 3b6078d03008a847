// Lets `node -r scripts/lib/swc-register.cjs some.ts` run TypeScript straight from the sources, compiled on load
// with the same swc settings jest uses: `npm start`'s launcher, and tests that run a service's real entry point.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    // Dynamic import() stays one, so ESM-only packages load as they do from tsc's output.
    module: { type: 'commonjs', ignoreDynamic: true },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
