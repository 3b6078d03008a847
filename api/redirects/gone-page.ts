import type { ServerResponse } from 'node:http';
import type { GoneReason } from '../../core/links/link';

const SENTENCES: Record<GoneReason, string> = {
  disabled: 'This link has been disabled by the operators of this service.',
  blocked: 'This link has been disabled by the operators of this service.',
  deleted: 'This link has been removed.',
  expired: 'This link has expired.',
};

function page(sentence: string): Buffer {
  return Buffer.from(`<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="robots" content="noindex"><title>Link unavailable</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
<h1>Link unavailable</h1><p>${sentence}</p></html>
`);
}

interface GonePage {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

function build(reason: GoneReason): GonePage {
  const body = page(SENTENCES[reason]);
  return {
    body,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      // A takedown can be reversed; nothing may keep the page longer than the link stays down.
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'api-supported-versions': '1',
    },
  };
}

/** Built once: answering a taken-down link costs no more than a redirect. */
const PAGES: Record<GoneReason, GonePage> = {
  disabled: build('disabled'),
  deleted: build('deleted'),
  expired: build('expired'),
  blocked: build('blocked'),
};

/** The browser route's answer for a link that exists but no longer redirects: 410 and a short page saying why. */
export function sendGonePage(res: ServerResponse, reason: GoneReason): void {
  const { body, headers } = PAGES[reason];
  res.writeHead(410, headers);
  res.end(body);
}
