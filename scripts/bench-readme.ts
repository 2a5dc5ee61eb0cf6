// npm run bench:readme: puts the last `npm run bench` (bench/results.json) into
// docs/performance.md, between its markers, so the table there is always a real run's.
import { readFileSync, writeFileSync } from 'node:fs';
import { formatTable, type Row } from '../bench/lib/report.js';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const results = JSON.parse(readFileSync(new URL('../bench/results.json', import.meta.url), 'utf8')) as {
  at: string;
  quick: boolean;
  node: string;
  cpus: number;
  rows: Row[];
};
if (results.quick) throw new Error('bench/results.json is from `--quick`: run the full `npm run bench` first');

const readmeUrl = new URL('../docs/performance.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/performance.md has no ${START} … ${END} section`);
const section = [
  START,
  `Run of ${results.at.slice(0, 10)} (${results.cpus} cores, Node ${results.node.replace(/^v/, '')}, load generator and Redis on the same machine):`,
  '',
  formatTable(results.rows),
  END,
].join('\n');
writeFileSync(readmeUrl, `${readme.slice(0, start)}${section}${readme.slice(end + END.length)}`);
console.error(`docs/performance.md: the table written from the run of ${results.at}`);
