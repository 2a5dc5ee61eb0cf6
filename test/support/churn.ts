import type { SeatStore } from '../../src/store/store.js';

/** Runs a full GC when the test runs with --expose-gc (vitest.config passes it); else nothing. */
export const collectGarbage: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Makes `rounds` lock-and-release cycles of two seats of `eventId`, straight on the store (no
 * HTTP in between, so changes come as fast as the store makes them), yielding to the event loop
 * every 100 rounds so subscribers are written to. Resolves with the seat changes made: 4 a round.
 */
export async function churnSeats(store: SeatStore, eventId: string, seatIds: [string, string], rounds: number): Promise<number> {
  for (let round = 0; round < rounds; round++) {
    const hold = await store.lockSeats({ eventId, seatIds });
    await store.releaseHold(hold.token);
    if (round % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return rounds * 4;
}
