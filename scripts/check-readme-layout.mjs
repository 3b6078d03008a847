#!/usr/bin/env node
// Part of `make lint`: the README's architecture section must name every top-level folder and every folder inside
// api/, worker/ and core/, so the diagram and table cannot drift from the tree. Exits 1 and lists what is missing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf('\n## Architecture');
const end = readme.indexOf('\n## ', start + 1);
if (start < 0) {
  console.error('README.md has no "## Architecture" section');
  process.exit(1);
}
const section = readme.slice(start, end < 0 ? undefined : end);

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  encoding: 'utf8',
}).split('\n');
const folders = new Set();
for (const file of files) {
  const parts = file.split('/');
  if (parts.length < 2 || parts[0].startsWith('.')) continue;
  folders.add(`${parts[0]}/`);
  // Tests beside a service are described in test/README.md, not here.
  if (['api', 'worker', 'core'].includes(parts[0]) && parts.length > 2 && parts[1] !== 'test')
    folders.add(`${parts[0]}/${parts[1]}/`);
}

/** The table row describing a top-level folder (`| \`core/\` | ... |`). */
const rowOf = (top) => section.split('\n').find((line) => line.startsWith(`| \`${top}`)) ?? '';

const named = (folder) => {
  const [top, sub] = folder.split('/');
  // A top-level folder is named by its row (`charts/offndat/` names charts/); a folder inside a service, in that row.
  return sub === '' ? rowOf(top) !== '' : rowOf(top).includes(`\`${sub}/`);
};
const missing = [...folders].filter((folder) => !named(folder)).sort();
if (missing.length > 0) {
  console.error(`README.md's architecture section does not mention: ${missing.join(', ')}`);
  process.exit(1);
}
