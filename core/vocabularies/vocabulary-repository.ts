import { vocabularyPath, type Vocabulary, type VocabularyDescriptor } from './vocabulary';
import type { VocabularySource } from './vocabulary-source';
import { parseWords } from './words';

export interface VocabularyRepository {
  /** The parsed list, or `undefined` when the source has no such file or it holds no usable word. */
  get(descriptor: VocabularyDescriptor): Promise<Vocabulary | undefined>;
  /**
   * What `get` would answer straight from the cache, without waiting: the list when its entry is fresh, `null` when
   * "no such list" is freshly cached, `undefined` when there is no fresh entry (never cached, expired, or still
   * loading), in which case only `get` can answer. A fresh entry is reported to `onLookup` exactly as `get` reports
   * it; `undefined` reports nothing and starts no load, so the `get` that follows reports the lookup once.
   */
  peek(descriptor: VocabularyDescriptor): Vocabulary | null | undefined;
}

export type VocabularyLookupResult = 'hit' | 'negative_hit' | 'miss' | 'stale' | 'error';

export interface VocabularyRepositoryOptions {
  readonly source: VocabularySource;
  /** How long a loaded list is served before it is reloaded (VOCABULARY_TTL_SEC). */
  readonly ttlMs: number;
  /** How long "this list does not exist" is remembered; shorter, so a newly published list appears soon. */
  readonly negativeTtlMs: number;
  /** Clock in epoch milliseconds, injected for tests. */
  readonly now?: () => number;
  /** Called once per lookup, for metrics and logs. */
  readonly onLookup?: (result: VocabularyLookupResult, path: string, error?: unknown) => void;
}

interface Loaded {
  readonly vocabulary: Vocabulary | undefined;
  readonly result: 'miss' | 'stale';
  readonly error?: unknown;
}

interface Entry {
  readonly vocabulary: Vocabulary | undefined;
  expiresAt: number;
}

/**
 * A TTL cache over a source. Concurrent misses for one path share a single load (single flight). Missing and
 * empty lists are cached for `negativeTtlMs`. Load failures are never cached: with no previous copy they reject;
 * with an expired copy, that copy keeps being served (and retried after `negativeTtlMs`) so a flaky remote source
 * does not turn into failed link creations.
 */
export function createVocabularyRepository(options: VocabularyRepositoryOptions): VocabularyRepository {
  const { source, ttlMs, negativeTtlMs } = options;
  const now = options.now ?? Date.now;
  const report = options.onLookup ?? (() => undefined);
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Loaded>>();

  async function load(path: string, stale: Entry | undefined): Promise<Loaded> {
    try {
      const text = await source.read(path);
      const words = text === undefined ? [] : parseWords(text);
      const vocabulary = words.length > 0 ? { path, words } : undefined;
      entries.set(path, { vocabulary, expiresAt: now() + (vocabulary ? ttlMs : negativeTtlMs) });
      return { vocabulary, result: 'miss' };
    } catch (error) {
      if (stale?.vocabulary === undefined) throw error;
      stale.expiresAt = now() + negativeTtlMs;
      return { vocabulary: stale.vocabulary, result: 'stale', error };
    }
  }

  return {
    peek(descriptor) {
      const path = vocabularyPath(descriptor);
      const entry = entries.get(path);
      if (entry && entry.expiresAt > now()) {
        report(entry.vocabulary ? 'hit' : 'negative_hit', path);
        return entry.vocabulary ?? null;
      }
      return undefined;
    },

    async get(descriptor) {
      const path = vocabularyPath(descriptor);
      const entry = entries.get(path);
      if (entry && entry.expiresAt > now()) {
        report(entry.vocabulary ? 'hit' : 'negative_hit', path);
        return entry.vocabulary;
      }
      let pending = loading.get(path);
      if (!pending) {
        // `.finally` runs on a later tick, so the entry is always registered before it is removed.
        pending = load(path, entry).finally(() => loading.delete(path));
        loading.set(path, pending);
      }
      try {
        const { vocabulary, result, error } = await pending;
        report(result, path, error);
        return vocabulary;
      } catch (error) {
        report('error', path, error);
        throw error;
      }
    },
  };
}
