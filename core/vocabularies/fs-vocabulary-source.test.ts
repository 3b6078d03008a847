import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledVocabularyDirectory } from './bundled-vocabularies';
import { createVocabularySource } from './create-vocabulary-source';
import { createFsVocabularySource } from './fs-vocabulary-source';

describe('directory vocabulary source', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'offndat-vocabularies-'));
    await mkdir(join(root, 'en/offensive/none/none/none'), { recursive: true });
    await writeFile(join(root, 'en/offensive/none/none/none/nouns.txt'), 'oaf\nlout');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a file under the directory', async () => {
    await expect(createFsVocabularySource(root).read('en/offensive/none/none/none/nouns.txt')).resolves.toBe(
      'oaf\nlout',
    );
  });

  it('answers undefined for a missing file or folder', async () => {
    const source = createFsVocabularySource(root);

    await expect(source.read('en/offensive/none/none/none/adverbs.txt')).resolves.toBeUndefined();
    await expect(source.read('xx/offensive/none/none/none/adverbs.txt')).resolves.toBeUndefined();
  });

  it('refuses paths that could leave the directory', async () => {
    await expect(createFsVocabularySource(root).read('../etc/passwd.txt')).rejects.toThrow('Invalid vocabulary path');
  });

  it('is chosen for absolute paths, ./relative paths and file: URLs', async () => {
    const path = 'en/offensive/none/none/none/nouns.txt';

    await expect(createVocabularySource(root).read(path)).resolves.toBe('oaf\nlout');
    await expect(createVocabularySource(pathToFileURL(root).href).read(path)).resolves.toBe('oaf\nlout');
    await expect(createVocabularySource('./' + 'sub/..', { cwd: root }).read(path)).resolves.toBe('oaf\nlout');
  });

  it('resolves "bundled" (and an empty value) to the vocabularies folder beside package.json', () => {
    expect(createVocabularySource('bundled').description).toBe(`bundled ${bundledVocabularyDirectory()}`);
    expect(createVocabularySource('').description).toBe(`bundled ${bundledVocabularyDirectory()}`);
    expect(bundledVocabularyDirectory()).toBe(join(__dirname, '..', '..', 'vocabularies'));
  });

  it('finds the bundled folder from a compiled dist/ tree too', () => {
    const fromDist = join(__dirname, '..', '..', 'dist', 'core', 'vocabularies');

    expect(bundledVocabularyDirectory(fromDist)).toBe(join(__dirname, '..', '..', 'vocabularies'));
  });

  it('rejects unsupported schemes at start-up', () => {
    expect(() => createVocabularySource('ftp://example.test/words')).toThrow('Unsupported vocabulary source');
  });
});
