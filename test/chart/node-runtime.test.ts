import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './support/tools';

/**
 * The published images run a Node.js line upstream still supports. Node.js LTS lines are the even majors; 20
 * reached its end of life on 2026-04-30. (The air-gapped base keeps Debian 13's packaged Node.js 20, which Debian
 * patches for the life of that release: docs/kubernetes.md, "Images".)
 */
const END_OF_LIFE_MAJOR = 20;

test('the Dockerfile builds on a supported Node.js LTS line by default', () => {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');

  const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
  const major = Number(/^node:(\d+)-/.exec(image)?.[1]);

  expect(major % 2).toBe(0);
  expect(major).toBeGreaterThan(END_OF_LIFE_MAJOR);
});
