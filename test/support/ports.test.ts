import { createServer } from 'node:net';
import { freePort } from './ports';

describe('freePort', () => {
  it('gives a port outside the ephemeral range that a server can then listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(28_000);
    expect(port).toBeLessThan(32_768);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
