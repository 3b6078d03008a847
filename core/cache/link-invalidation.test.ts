import { decodeInvalidation, encodeInvalidation } from './link-invalidation';

describe('link invalidation messages', () => {
  it('round-trips the phrase and the sender', () => {
    expect(decodeInvalidation(encodeInvalidation('Very-Smelly Penguin', 'instance-a'))).toEqual({
      phrase: 'Very-Smelly Penguin',
      origin: 'instance-a',
    });
  });

  it.each([['{'], ['"phrase"'], ['{"phrase":""," origin":"x"}'], ['{"phrase":"a"}'], [JSON.stringify({ phrase: 'x'.repeat(300), origin: 'a' })]])(
    'rejects the malformed message %s',
    (message) => {
      expect(decodeInvalidation(message)).toBeUndefined();
    },
  );
});
