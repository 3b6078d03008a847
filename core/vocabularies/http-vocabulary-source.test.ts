import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodedError } from '../errors/coded-error';
import { createVocabularySource } from './create-vocabulary-source';
import { createHttpVocabularySource } from './http-vocabulary-source';
import { createVocabularyRepository } from './vocabulary-repository';

const files: Record<string, string> = {
  '/base/en/non-offensive/none/none/none/adverbs.txt': 'quickly\nzażółcenie',
};

describe('HTTP vocabulary source (real server on 127.0.0.1)', () => {
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      requests.push(url);
      if (url.includes('/broken/')) return void response.writeHead(503).end('down');
      if (url.includes('/slow/')) return void timers.push(setTimeout(() => response.end('late'), 2_000));
      const body = files[url];
      if (body === undefined) return void response.writeHead(404).end('Not Found');
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
  });

  afterAll(async () => {
    timers.forEach(clearTimeout);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches <base>/<path> and decodes UTF-8', async () => {
    const source = createVocabularySource(baseUrl);

    await expect(source.read('en/non-offensive/none/none/none/adverbs.txt')).resolves.toBe('quickly\nzażółcenie');
    expect(requests).toContain('/base/en/non-offensive/none/none/none/adverbs.txt');
  });

  it('treats 404 as a missing list, which the repository caches negatively', async () => {
    const repository = createVocabularyRepository({
      source: createHttpVocabularySource(`${baseUrl}/`),
      ttlMs: 3_600_000,
      negativeTtlMs: 60_000,
    });
    const descriptor = {
      language: 'pl',
      offensiveness: 'offensive',
      number: 'none',
      gender: 'none',
      theme: 'none',
      partOfSpeech: 'adverb',
    } as const;
    const before = requests.length;

    await expect(repository.get(descriptor)).resolves.toBeUndefined();
    await expect(repository.get(descriptor)).resolves.toBeUndefined();

    expect(requests.length - before).toBe(1);
  });

  it('surfaces other HTTP errors as General.Unavailable and does not cache them', async () => {
    const source = createHttpVocabularySource(baseUrl.replace('/base', '/broken'));
    const repository = createVocabularyRepository({ source, ttlMs: 3_600_000, negativeTtlMs: 60_000 });
    const descriptor = {
      language: 'en',
      offensiveness: 'offensive',
      number: 'none',
      gender: 'none',
      theme: 'none',
      partOfSpeech: 'noun',
    } as const;
    const before = requests.length;

    const error: unknown = await repository.get(descriptor).catch((caught: unknown) => caught);
    await repository.get(descriptor).catch(() => undefined);

    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe('General.Unavailable');
    expect(requests.length - before).toBe(2);
  });

  it('gives up after the timeout', async () => {
    const source = createHttpVocabularySource(baseUrl.replace('/base', '/slow'), { timeoutMs: 100 });
    const started = Date.now();

    await expect(source.read('en/offensive/none/none/none/nouns.txt')).rejects.toMatchObject({
      code: 'General.Unavailable',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
