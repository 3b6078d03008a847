import { trafficOf } from './traffic';

describe('trafficOf', () => {
  it.each([
    ['/:phrase', 301, 'redirect'],
    ['/v1/redirects/:phrase', 308, 'redirect'],
    ['/:phrase', 500, 'redirect'],
    ['/:phrase', 400, 'redirect'],
    ['/v1/links', 201, 'api'],
    ['/v1/links/:phrase', 503, 'api'],
    ['/v1/languages', 401, 'api'],
    ['/s/:phrase', 200, 'api'],
    ['/v1/no-such-thing', 500, 'api'],
  ])('counts %s answered %i as %s', (route, status, expected) => {
    expect(trafficOf(route, status)).toBe(expected);
  });

  it.each([
    ['/:phrase', 404],
    ['/:phrase', 429],
    ['/:phrase', 410],
    ['/v1/links', 429],
    ['/v1/links/:phrase', 404],
    ['/health', 200],
    ['/ready', 503],
    ['/metrics', 200],
    ['/docs', 200],
    ['/openapi/v1.json', 200],
    ['unmatched', 404],
  ])('leaves %s answered %i out of the objectives', (route, status) => {
    expect(trafficOf(route, status)).toBe('other');
  });
});
