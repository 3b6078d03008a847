import { createTestRedis } from './redis';

describe('createTestRedis', () => {
  it('hands out distinct key prefixes and clients that reach the server', async () => {
    const a = createTestRedis();
    const b = createTestRedis();
    const client = a.connect();

    await client.set(`${a.keyPrefix}k`, 'v');

    expect(a.keyPrefix).not.toBe(b.keyPrefix);
    expect(await a.keys()).toEqual([`${a.keyPrefix}k`]);
    expect(await b.keys()).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('deletes its keys on close and leaves other prefixes alone', async () => {
    const mine = createTestRedis();
    const other = createTestRedis();
    const client = other.connect();
    await client.set(`${other.keyPrefix}survivor`, '1');
    await mine.connect().mset(`${mine.keyPrefix}a`, '1', `${mine.keyPrefix}b`, '2');

    await mine.close();

    expect(await client.exists(`${mine.keyPrefix}a`, `${mine.keyPrefix}b`)).toBe(0);
    expect(await client.get(`${other.keyPrefix}survivor`)).toBe('1');
    await other.close();
  });
});
