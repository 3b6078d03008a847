import { z } from 'zod';
import { byteSize, choice, flag, integer, list, optionalText, requiredText, text } from './env';

describe('env helpers', () => {
  const schema = z.object({
    N: integer('a number', { default: 5, min: 1, max: 10 }),
    F: flag('a flag', false),
    T: text('a text', 'fallback'),
    O: optionalText('an optional text'),
    R: requiredText('a required text'),
    C: choice('a choice', ['a', 'b'], 'a'),
    L: list('a list'),
  });

  it('treats empty values as unset, so defaults apply', () => {
    expect(schema.parse({ N: '', F: '', T: '', O: '', R: 'x', C: '', L: '' })).toEqual({
      N: 5,
      F: false,
      T: 'fallback',
      O: undefined,
      R: 'x',
      C: 'a',
      L: [],
    });
  });

  it.each([
    ['1', true],
    ['yes', true],
    ['on', true],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('reads the flag spelling %s', (value, expected) => {
    expect(schema.parse({ R: 'x', F: value }).F).toBe(expected);
  });

  it("rejects values outside each helper's rules, naming every key", () => {
    const result = schema.safeParse({ N: '11', F: 'maybe', C: 'c', R: '' });

    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(['C', 'F', 'N', 'R']);
  });

  it("keeps each key's description on its schema", () => {
    expect(Object.values(schema.shape).map((key) => key.description)).toEqual([
      'a number',
      'a flag',
      'a text',
      'an optional text',
      'a required text',
      'a choice',
      'a list',
    ]);
  });

  describe('byteSize', () => {
    const size = byteSize('a size', '16kb');

    it.each([
      ['', 16_384],
      ['512', 512],
      ['512b', 512],
      ['16kb', 16_384],
      ['16 KB', 16_384],
      ['1.5mb', 1_572_864],
      ['1gb', 1_073_741_824],
    ])('reads %j as %d bytes', (value, bytes) => {
      expect(size.parse(value)).toBe(bytes);
    });

    it.each(['16k', 'lots', '-1kb', '1 tb'])('refuses %j', (value) => {
      expect(size.safeParse(value).success).toBe(false);
    });
  });
});
