/** After an invalidation, lookups of that phrase skip the replicas this long: a lagging one may hold the old row. */
const PRIMARY_AFTER_CHANGE_MS = 5_000;
/** Bounded: a flood of invalidations forgets older entries (their phrases then read a replica again). */
const MAX_ENTRIES = 10_000;

/** Phrases changed a moment ago, which only the primary may answer for until the replicas have caught up. */
export class RecentChanges {
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  note(phrase: string): void {
    if (this.until.size >= MAX_ENTRIES) this.until.clear();
    this.until.set(phrase, this.clock() + PRIMARY_AFTER_CHANGE_MS);
  }

  /** Whether a replica's answer for the phrase may be trusted again. */
  settled(phrase: string): boolean {
    const until = this.until.get(phrase);
    if (until === undefined) return true;
    if (until > this.clock()) return false;
    this.until.delete(phrase);
    return true;
  }
}
