import { isPlainApiCall } from './lean-create';

const call = (headers: Record<string, string>) => isPlainApiCall({ headers });

describe('which creation requests are served ahead of Express', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
  ])('a plain API call with Content-Type %s', (type) => {
    expect(call({ 'content-type': type })).toBe(true);
  });

  it.each([
    ['from a browser (Origin)', { 'content-type': 'application/json', origin: 'http://localhost:3000' }],
    ['with a compressed body', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
    ['with any Content-Encoding at all', { 'content-type': 'application/json', 'content-encoding': 'identity' }],
    ['in another charset', { 'content-type': 'application/json; charset=latin1' }],
    ['of a JSON-based media type', { 'content-type': 'application/merge-patch+json' }],
    ['of another media type', { 'content-type': 'text/plain' }],
    ['without a media type', {}],
  ])('not a request %s', (_case, headers) => {
    expect(call(headers)).toBe(false);
  });
});
