// npm run docs: writes the README's generated parts from the code they describe (between
// `<!-- name:start -->` and `<!-- name:end -->` markers); with --check (in npm run check), fails
// when one is stale. Today: the error order (src/store/error-order.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { errorOrderInWords } from '../src/store/error-order.js';

const generated: Record<string, string> = {
  'error-order': `When several apply, the first in this order wins: ${errorOrderInWords()}. Anything unexpected stays a GraphQL error with a masked message.`,
};

const url = new URL('../README.md', import.meta.url);
const readme = readFileSync(url, 'utf8');
let written = readme;
for (const [name, text] of Object.entries(generated)) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = written.indexOf(start);
  const to = written.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  written = `${written.slice(0, from)}${start}\n${text}\n${written.slice(to)}`;
}
if (process.argv.includes('--check')) {
  if (written !== readme) {
    console.error('README.md is stale where it is generated: run `npm run docs` and commit the result.');
    process.exit(1);
  }
  console.log('README.md generated parts are current.');
} else {
  writeFileSync(url, written);
  console.log('README.md generated parts written.');
}
