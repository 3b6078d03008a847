import { randomBytes } from 'node:crypto';

/** A browser's User-Agent: its redirects count as visits (crawlers' count apart, HEAD not at all). */
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

export interface Api {
  readonly url: string;
  readonly key: string;
}

/** Creates a link; resolves to its phrase, or to undefined with the status when creation failed. */
export async function createLink(api: Api): Promise<{ status: number; phrase?: string }> {
  const response = await fetch(`${api.url}/v1/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-offnd-api-key': api.key },
    body: JSON.stringify({ targetUrl: 'http://127.0.0.1/target', languageId: 0, themeId: 0, formatId: 0 }),
  });
  if (response.status !== 201) {
    await response.arrayBuffer();
    return { status: response.status };
  }
  const { url } = (await response.json()) as { url: string };
  return { status: 201, phrase: new URL(url).pathname.slice(1) };
}

/** GET of each path, a few at a time; resolves to the statuses. */
export async function getAll(api: Api, paths: readonly string[], concurrency = 8): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++] ?? '/';
      const response = await fetch(`${api.url}${path}`, {
        redirect: 'manual',
        headers: { 'user-agent': BROWSER, 'x-offnd-api-key': api.key },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return statuses;
}

/** `count` redirect paths cycling over `phrases`. */
export const redirectPaths = (phrases: readonly string[], count: number): string[] =>
  Array.from({ length: count }, (_, i) => `/${phrases[i % phrases.length] ?? ''}`);

/** Phrases no link has, so resolving them needs the database. */
export const unknownPaths = (count: number): string[] =>
  Array.from({ length: count }, () => `/unknown-${randomBytes(6).toString('hex')}`);
