/** The outcome of running a handler over a batch: which items are done and which failed, with why. */
export interface BatchOutcome<T> {
  readonly succeeded: readonly T[];
  readonly failed: ReadonlyArray<{ readonly item: T; readonly error: unknown }>;
}

/**
 * Runs the whole batch in one call (one transaction for visits). If that fails with an error `isolate` blames on
 * the data, each item is retried alone so a single bad message cannot drag its neighbours through the retry
 * queues. Errors with a shared cause (database unreachable) are not split: retrying 16 items one by one
 * against a dead database would only hold the messages 16 timeouts longer before they all retry anyway.
 */
export async function runBatch<T>(
  items: readonly T[],
  handle: (items: readonly T[]) => Promise<void>,
  isolate: (error: unknown) => boolean = () => true,
): Promise<BatchOutcome<T>> {
  if (items.length === 0) return { succeeded: [], failed: [] };
  try {
    await handle(items);
    return { succeeded: items, failed: [] };
  } catch (error) {
    if (items.length === 1 || !isolate(error)) return { succeeded: [], failed: items.map((item) => ({ item, error })) };
  }
  const succeeded: T[] = [];
  const failed: Array<{ item: T; error: unknown }> = [];
  for (const item of items) {
    try {
      await handle([item]);
      succeeded.push(item);
    } catch (error) {
      failed.push({ item, error });
    }
  }
  return { succeeded, failed };
}
