import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `vocabularies/` folder shipped with the package. Found by walking up from this file to the directory that
 * holds `package.json`, so it resolves the same from the TypeScript sources and from the compiled `dist/` tree.
 */
export function bundledVocabularyDirectory(startDirectory: string = __dirname): string {
  let directory = startDirectory;
  for (;;) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'vocabularies'))) {
      return join(directory, 'vocabularies');
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`No bundled vocabularies found above ${startDirectory}`);
    directory = parent;
  }
}
