import type { RunResult } from './run';

/** Fails with the tool's own output, which is what one needs to read when a chart check breaks. */
export function expectSuccess(result: RunResult, what = 'command'): void {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}\n--- stderr ---\n${result.stderr}\n--- stdout ---\n${result.stdout.slice(0, 20_000)}`,
    );
  }
}

export function expectFailure(result: RunResult, pattern: RegExp, what = 'command'): void {
  if (result.code === 0) throw new Error(`${what} succeeded but was expected to fail with ${String(pattern)}`);
  expect(`${result.stderr}\n${result.stdout}`).toMatch(pattern);
}
