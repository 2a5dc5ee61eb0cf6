// npm run build: compiles src/ to dist/ and copies what the server reads at run time beside the
// code (the Redis scripts, the pages). Plain JavaScript run by node itself, so the test run can
// build on a machine whose PATH has node and nothing else.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
for (const folder of ['store/redis/scripts', 'web']) {
  cpSync(new URL(`../src/${folder}`, import.meta.url), new URL(`../dist/${folder}`, import.meta.url), { recursive: true });
}
