import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768-60999 by default): an outgoing connection (a load test, a client pool) never
// takes its local port from here, so a port found free stays free until the process told to use it binds it.
const FIRST = 28_000;
const LAST = 32_000;

/** A port free right now on every interface, for processes that must be told their port before they start. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${FIRST} and ${LAST}`);
}

// Without a host, as the api and the worker listen: on :: (every IPv6 and IPv4 address) where the machine has IPv6.
function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
