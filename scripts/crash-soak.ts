// npm run soak:crash [-- --cycles=50]: the crash test's SIGKILL cycles, many more of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashCycles } from '../test/support/crash-run.js';

const cycles = Number(process.argv.find((arg) => arg.startsWith('--cycles='))?.slice('--cycles='.length) ?? 30);
const directory = mkdtempSync(join(tmpdir(), 'seatlock-soak-'));
try {
  const ledger = await runCrashCycles({
    dataFile: join(directory, 'seatlock.db'),
    cycles,
    buyers: 12,
    maxAnswersPerCycle: 400,
    onCycle: (report) =>
      console.log(
        `cycle ${report.cycle}: ${report.answered} answers, ${report.bookings} bookings, ${report.holdsChecked} holds checked, version ${report.version}`,
      ),
  });
  console.log(
    `soak passed: ${cycles} SIGKILLs, ${ledger.answered} answered operations, ${ledger.unanswered} cut off, ${ledger.bookings.size} bookings and ${ledger.holds.size} holds checked after every restart`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
