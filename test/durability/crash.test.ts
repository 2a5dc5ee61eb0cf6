import { describe, expect, it } from 'vitest';
import { runCrashCycles } from '../support/crash-run.js';
import { tempDataFile } from '../support/processes.js';

describe('the durable store under kill -9', () => {
  it('keeps every answered booking and hold across SIGKILLs at random moments', async () => {
    const cycles: string[] = [];
    const ledger = await runCrashCycles({
      dataFile: tempDataFile(),
      cycles: 4,
      buyers: 8,
      maxAnswersPerCycle: 400,
      onCycle: (report) => cycles.push(JSON.stringify(report)),
    });
    // The run must have exercised something worth checking: bookings made and holds carried over.
    expect(ledger.bookings.size).toBeGreaterThan(10);
    expect(ledger.holds.size).toBeGreaterThan(20);
    expect(ledger.unanswered).toBeGreaterThan(0);
    console.log(`crash cycles: ${cycles.join(' ')}`);
  }, 120_000);
});
