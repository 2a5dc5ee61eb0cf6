// npm run test:stress [-- --runs=3] [-- --burners=2]: the whole suite, again and again, while other
// processes keep every core busy (as on a CI machine running other work). A test that fails here
// waits for time instead of for what it means to see: a bug. Prints each run's time and outcome;
// exits 1 at the first failed run.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const runs = option('runs', 3);
const burnerCount = option('burners', cpus().length);

/** A process that spins on one core until it is killed. */
function burner(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

const burners = Array.from({ length: burnerCount }, burner);
const stopBurners = () => {
  for (const child of burners) child.kill('SIGKILL');
};
// However it ends, no busy loop outlives it.
process.once('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopBurners();
    process.exit(130);
  });
}

console.log(`test:stress: ${runs} runs of the whole suite, with ${burnerCount} busy loops on ${cpus().length} cores`);
let failed = false;
for (let run = 1; run <= runs && !failed; run++) {
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const vitest = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=dot'], { stdio: 'inherit', env: process.env });
    vitest.once('exit', resolve);
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`test:stress: run ${run} of ${runs}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s`);
  failed = code !== 0;
}
stopBurners();
process.exit(failed ? 1 : 0);
