import { CodedError, GeneralErrors } from '../errors/coded-error';
import { assertSafeRelativePath, type VocabularySource } from './vocabulary-source';

export interface HttpVocabularySourceOptions {
  /** Per-request budget, covering connect, headers and body. Upstream allows 15 s for the whole fetch. */
  readonly timeoutMs?: number;
  /** Injected for tests; Node's global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 15_000;

/**
 * Fetches `<base>/<path>` from a server laid out like the upstream repository (raw files). 404 means the list
 * does not exist; every other failure becomes `General.Unavailable` so it is reported, never cached as absent.
 */
export function createHttpVocabularySource(
  baseUrl: string,
  options: HttpVocabularySourceOptions = {},
): VocabularySource {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  return {
    description: `http ${base.href}`,
    async read(path) {
      assertSafeRelativePath(path);
      const url = new URL(path, base);
      try {
        const response = await doFetch(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: { accept: 'text/plain' },
        });
        if (response.status === 404) {
          await response.body?.cancel();
          return undefined;
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new Error(`GET ${url.href} answered ${response.status}`);
        }
        return await response.text();
      } catch (error) {
        throw new CodedError(GeneralErrors.unavailable, { cause: error });
      }
    },
  };
}
