// npm run docs: writes the docs' generated parts from the code they describe (between
// `<!-- name:start -->` and `<!-- name:end -->` markers); with --check (in npm run check), fails
// when one is stale. Today: the error order (src/store/error-order.ts) in docs/api.md. Both ways
// it fails on a code block that is wrong without running it: unknown language, GraphQL the schema
// refuses, JSON that does not parse.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { errorOrderInWords } from '../src/store/error-order.js';
import { blockProblems, docBlocks } from './doc-blocks.js';

const generated: Record<string, string> = {
  'error-order': `When several apply, the first in this order wins: ${errorOrderInWords()}. Anything unexpected stays a GraphQL error with a masked message.`,
};

const url = new URL('../docs/api.md', import.meta.url);
const doc = readFileSync(url, 'utf8');
let written = doc;
for (const [name, text] of Object.entries(generated)) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = written.indexOf(start);
  const to = written.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/api.md has no ${start} … ${end} section`);
  written = `${written.slice(0, from)}${start}\n${text}\n${written.slice(to)}`;
}
const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
const problems = blockProblems(docBlocks(), schema);
if (problems.length > 0) {
  console.error(`The docs' code blocks need fixing:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  if (written !== doc) {
    console.error('docs/api.md is stale where it is generated: run `npm run docs` and commit the result.');
    process.exit(1);
  }
  console.log("docs/api.md generated parts are current; the docs' code blocks check out.");
} else {
  writeFileSync(url, written);
  console.log('docs/api.md generated parts written.');
}
