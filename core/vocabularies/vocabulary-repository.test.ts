import type { VocabularyDescriptor } from './vocabulary';
import { createVocabularyRepository, type VocabularyLookupResult } from './vocabulary-repository';
import type { VocabularySource } from './vocabulary-source';

const adverbs: VocabularyDescriptor = {
  language: 'en',
  offensiveness: 'non-offensive',
  number: 'none',
  gender: 'none',
  theme: 'none',
  partOfSpeech: 'adverb',
};

/** A source whose reads are counted and can be held open, to observe concurrency. */
function countingSource(files: Record<string, string | Error | undefined>) {
  const reads: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const source: VocabularySource & { reads: string[]; hold(): () => void } = {
    description: 'test',
    reads,
    hold() {
      let release = () => undefined as void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    async read(path) {
      reads.push(path);
      await gate;
      const content = files[path];
      if (content instanceof Error) throw content;
      return content;
    },
  };
  return source;
}

const ADVERBS_PATH = 'en/non-offensive/none/none/none/adverbs.txt';

describe('createVocabularyRepository', () => {
  it('serves a loaded list from the cache: same instance, one load', async () => {
    const source = countingSource({ [ADVERBS_PATH]: 'fast\nslowly' });
    const repository = createVocabularyRepository({ source, ttlMs: 3_600_000, negativeTtlMs: 60_000 });

    const first = await repository.get(adverbs);
    const second = await repository.get(adverbs);

    expect(first).toEqual({ path: ADVERBS_PATH, words: ['fast', 'slowly'] });
    expect(second).toBe(first);
    expect(source.reads).toHaveLength(1);
  });

  it('shares one load between concurrent misses (single flight)', async () => {
    const source = countingSource({ [ADVERBS_PATH]: 'fast' });
    const repository = createVocabularyRepository({ source, ttlMs: 3_600_000, negativeTtlMs: 60_000 });
    const release = source.hold();

    const both = Promise.all([repository.get(adverbs), repository.get(adverbs)]);
    release();
    const [first, second] = await both;

    expect(source.reads).toHaveLength(1);
    expect(second).toBe(first);
  });

  it('uses different entries for different descriptors', async () => {
    const source = countingSource({});
    const repository = createVocabularyRepository({ source, ttlMs: 3_600_000, negativeTtlMs: 60_000 });

    await repository.get({ ...adverbs, partOfSpeech: 'noun', language: 'pl', number: 'singular', gender: 'feminine' });
    await repository.get({
      ...adverbs,
      partOfSpeech: 'noun',
      language: 'pl',
      number: 'plural',
      gender: 'masculine-personal',
    });

    expect(source.reads).toEqual([
      'pl/non-offensive/singular/feminine/none/nouns.txt',
      'pl/non-offensive/plural/masculine-personal/none/nouns.txt',
    ]);
  });

  it('caches missing and empty lists for the negative TTL only', async () => {
    let clock = 1_000;
    const source = countingSource({ [ADVERBS_PATH]: '\n  \n' });
    const repository = createVocabularyRepository({ source, ttlMs: 60_000, negativeTtlMs: 5_000, now: () => clock });

    expect(await repository.get(adverbs)).toBeUndefined();
    clock += 4_999;
    expect(await repository.get(adverbs)).toBeUndefined();
    expect(source.reads).toHaveLength(1);

    clock += 1;
    expect(await repository.get(adverbs)).toBeUndefined();
    expect(source.reads).toHaveLength(2);
  });

  it('reloads a list once its TTL has passed', async () => {
    let clock = 0;
    const files: Record<string, string> = { [ADVERBS_PATH]: 'fast' };
    const source = countingSource(files);
    const repository = createVocabularyRepository({ source, ttlMs: 60_000, negativeTtlMs: 60_000, now: () => clock });

    const first = await repository.get(adverbs);
    files[ADVERBS_PATH] = 'faster';
    clock = 59_999;
    expect(await repository.get(adverbs)).toBe(first);
    clock = 60_000;
    const reloaded = await repository.get(adverbs);

    expect(reloaded?.words).toEqual(['faster']);
    expect(source.reads).toHaveLength(2);
  });

  it('does not cache failures: the error surfaces and the next call retries', async () => {
    const files: Record<string, string | Error> = { [ADVERBS_PATH]: new Error('boom') };
    const source = countingSource(files);
    const lookups: VocabularyLookupResult[] = [];
    const repository = createVocabularyRepository({
      source,
      ttlMs: 3_600_000,
      negativeTtlMs: 60_000,
      onLookup: (result) => lookups.push(result),
    });

    await expect(repository.get(adverbs)).rejects.toThrow('boom');
    files[ADVERBS_PATH] = 'fast';
    await expect(repository.get(adverbs)).resolves.toEqual({ path: ADVERBS_PATH, words: ['fast'] });

    expect(source.reads).toHaveLength(2);
    expect(lookups).toEqual(['error', 'miss']);
  });

  it('keeps serving an expired list while the source fails, retrying after the negative TTL', async () => {
    let clock = 0;
    const files: Record<string, string | Error> = { [ADVERBS_PATH]: 'fast' };
    const source = countingSource(files);
    const lookups: VocabularyLookupResult[] = [];
    const repository = createVocabularyRepository({
      source,
      ttlMs: 1_000,
      negativeTtlMs: 100,
      now: () => clock,
      onLookup: (result) => lookups.push(result),
    });
    const first = await repository.get(adverbs);

    files[ADVERBS_PATH] = new Error('unreachable');
    clock = 1_000;
    const stale = await repository.get(adverbs);
    clock = 1_050;
    await repository.get(adverbs);

    expect(stale).toBe(first);
    expect(source.reads).toHaveLength(2);
    expect(lookups).toEqual(['miss', 'stale', 'hit']);
  });

  describe('peek', () => {
    function repositoryWith(files: Record<string, string | Error | undefined>, clock: { now: number }) {
      const source = countingSource(files);
      const lookups: [VocabularyLookupResult, string][] = [];
      const repository = createVocabularyRepository({
        source,
        ttlMs: 1_000,
        negativeTtlMs: 100,
        now: () => clock.now,
        onLookup: (result, path) => lookups.push([result, path]),
      });
      return { source, lookups, repository };
    }

    it('answers undefined before the first load, without loading or reporting', () => {
      const { source, lookups, repository } = repositoryWith({ [ADVERBS_PATH]: 'fast' }, { now: 0 });

      expect(repository.peek(adverbs)).toBeUndefined();
      expect(source.reads).toEqual([]);
      expect(lookups).toEqual([]);
    });

    it('returns the cached instance while it is fresh, reported as a hit like get', async () => {
      const clock = { now: 0 };
      const { source, lookups, repository } = repositoryWith({ [ADVERBS_PATH]: 'fast' }, clock);
      const loaded = await repository.get(adverbs);

      clock.now = 999;
      expect(repository.peek(adverbs)).toBe(loaded);
      expect(await repository.get(adverbs)).toBe(loaded);
      clock.now = 1_000;
      expect(repository.peek(adverbs)).toBeUndefined();

      expect(source.reads).toHaveLength(1);
      expect(lookups).toEqual([
        ['miss', ADVERBS_PATH],
        ['hit', ADVERBS_PATH],
        ['hit', ADVERBS_PATH],
      ]);
    });

    it('returns null for a list cached as missing, reported as a negative hit, until the negative TTL passes', async () => {
      const clock = { now: 0 };
      const { lookups, repository } = repositoryWith({}, clock);
      await repository.get(adverbs);

      clock.now = 99;
      expect(repository.peek(adverbs)).toBeNull();
      clock.now = 100;
      expect(repository.peek(adverbs)).toBeUndefined();

      expect(lookups.map(([result]) => result)).toEqual(['miss', 'negative_hit']);
    });

    it('answers undefined while an expired list is being reloaded, and the reloaded list after', async () => {
      const clock = { now: 0 };
      const files: Record<string, string> = { [ADVERBS_PATH]: 'fast' };
      const { source, repository } = repositoryWith(files, clock);
      await repository.get(adverbs);
      files[ADVERBS_PATH] = 'faster';
      clock.now = 1_000;
      const release = source.hold();

      const reloading = repository.get(adverbs);
      expect(repository.peek(adverbs)).toBeUndefined();
      release();
      const reloaded = await reloading;

      expect(repository.peek(adverbs)).toBe(reloaded);
      expect(reloaded?.words).toEqual(['faster']);
    });
  });
});
