// Writes schema.graphql from the Pothos schema; with --check, fails when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const path = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    // A missing file is as stale as it gets.
  }
  if (committed !== printed) {
    console.error('schema.graphql is stale: run `npm run codegen` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is current.');
} else {
  writeFileSync(path, printed);
  console.log('schema.graphql written.');
}
