import express from 'express';
import { startHttpServer } from './http';

describe('startHttpServer', () => {
  it('serves an Express app on 127.0.0.1 and a free port, and closes despite keep-alive connections', async () => {
    const app = express();
    app.get('/ping', (_req, res) => {
      res.json({ pong: true });
    });
    const server = await startHttpServer(app);

    const response = await fetch(`${server.baseUrl}/ping`);
    const body: unknown = await response.json();
    await server.close();

    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body).toEqual({ pong: true });
    expect(server.server.listening).toBe(false);
  });

  it('serves a plain request listener', async () => {
    const server = await startHttpServer((_req, res) => res.end('plain'));

    const text = await (await fetch(server.baseUrl)).text();
    await server.close();

    expect(text).toBe('plain');
  });
});
