import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledVocabularyDirectory } from './bundled-vocabularies';
import { createFsVocabularySource } from './fs-vocabulary-source';
import { createHttpVocabularySource } from './http-vocabulary-source';
import type { VocabularySource } from './vocabulary-source';

export interface VocabularySourceOptions {
  /** Base for relative directory paths; the process's working directory by default. */
  readonly cwd?: string;
  /** HTTP sources only: per-request timeout. */
  readonly timeoutMs?: number;
  /** HTTP sources only: injected fetch for tests. */
  readonly fetch?: typeof fetch;
}

export const BUNDLED_VOCABULARY_SOURCE = 'bundled';

/**
 * Interprets `VOCABULARY_SOURCE`: `bundled` (the lists shipped with the product), an `http(s)://` base URL laid out
 * like the upstream repository, a `file:` URL, or a directory path (absolute, or relative to `cwd`).
 * Throws on anything else, such as an unsupported URL scheme, so a typo fails at start-up rather than per request.
 */
export function createVocabularySource(spec: string, options: VocabularySourceOptions = {}): VocabularySource {
  const value = spec.trim();
  if (value === '' || value === BUNDLED_VOCABULARY_SOURCE) {
    const directory = bundledVocabularyDirectory();
    return createFsVocabularySource(directory, `bundled ${directory}`);
  }
  if (/^https?:\/\//i.test(value)) {
    return createHttpVocabularySource(value, {
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.fetch !== undefined && { fetch: options.fetch }),
    });
  }
  if (/^file:/i.test(value)) return createFsVocabularySource(fileURLToPath(value));
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    throw new Error(`Unsupported vocabulary source "${spec}": use "bundled", an http(s) URL, a file: URL or a path`);
  }
  const directory = isAbsolute(value) ? value : resolve(options.cwd ?? process.cwd(), value);
  return createFsVocabularySource(directory);
}
