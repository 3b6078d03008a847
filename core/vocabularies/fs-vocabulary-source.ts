import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSafeRelativePath, type VocabularySource } from './vocabulary-source';

const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR']);

/** Reads lists from a directory laid out like the upstream repository (also used for the bundled lists). */
export function createFsVocabularySource(directory: string, description = `directory ${directory}`): VocabularySource {
  return {
    description,
    async read(path) {
      assertSafeRelativePath(path);
      try {
        return await readFile(join(directory, path), 'utf8');
      } catch (error) {
        if (MISSING_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
        throw error;
      }
    },
  };
}
