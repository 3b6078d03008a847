import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, parseConfig, schemaKeys } from './load';

const schema = z
  .object({ SECRET: z.string().optional(), PORT: z.coerce.number().int().default(8080) })
  .transform((c) => ({ ...c, doubled: c.PORT * 2 }));

describe('parseConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'offndat-config-'));

  it('reads a key from <KEY>_FILE, dropping the trailing newline', () => {
    writeFileSync(join(dir, 'secret'), 's3cret\n');

    expect(parseConfig(schema, { SECRET_FILE: join(dir, 'secret') }).SECRET).toBe('s3cret');
  });

  it('prefers the key itself over its _FILE twin', () => {
    expect(parseConfig(schema, { SECRET: 'direct', SECRET_FILE: join(dir, 'missing') }).SECRET).toBe('direct');
  });

  it('ignores _FILE variables of keys it does not know', () => {
    expect(() => parseConfig(schema, { OTHER_TOOL_FILE: '/nonexistent/path' })).not.toThrow();
  });

  it('reports every invalid key at once', () => {
    const strict = z.object({ A: z.coerce.number().int(), B: z.enum(['x', 'y']) });

    const error = (() => {
      try {
        parseConfig(strict, { A: 'nope', B: 'z' });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((issue) => issue.split(':')[0])).toEqual(['A', 'B']);
  });

  it('finds the keys of a transformed object schema', () => {
    expect(schemaKeys(schema)).toEqual(['SECRET', 'PORT']);
  });
});
