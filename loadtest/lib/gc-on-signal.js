'use strict';
// Preloaded into the api by the memory scenarios only (node --expose-gc -r this file): SIGUSR2 runs full
// collections, so the runner reads the heap the process really holds instead of whatever garbage V8 has not yet
// collected. Not part of the product.
process.on('SIGUSR2', () => {
  global.gc?.();
  global.gc?.();
});
