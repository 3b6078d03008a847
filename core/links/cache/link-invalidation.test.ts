import { decodeInvalidation, encodeInvalidation } from './link-invalidation';

describe('link invalidation messages', () => {
  it('round-trips the phrase and the sender', () => {
    expect(decodeInvalidation(encodeInvalidation('Very-Smelly Penguin', 'instance-a'))).toEqual({
      phrases: ['Very-Smelly Penguin'],
      origin: 'instance-a',
    });
  });

  it('round-trips phrases announced together, and sends one phrase in the single-phrase form', () => {
    expect(decodeInvalidation(encodeInvalidation(['a-b-c', 'DeFG'], 'instance-a'))).toEqual({
      phrases: ['a-b-c', 'DeFG'],
      origin: 'instance-a',
    });
    expect(JSON.parse(encodeInvalidation(['a-b-c'], 'instance-a'))).toEqual({ phrase: 'a-b-c', origin: 'instance-a' });
  });

  it.each([
    ['{'],
    ['"phrase"'],
    ['{"phrase":""," origin":"x"}'],
    ['{"phrase":"a"}'],
    [JSON.stringify({ phrase: 'x'.repeat(300), origin: 'a' })],
    ['{"phrases":[],"origin":"a"}'],
    ['{"phrases":["ok",""],"origin":"a"}'],
  ])('rejects the malformed message %s', (message) => {
    expect(decodeInvalidation(message)).toBeUndefined();
  });
});
