/**
 * `npm run test:fast` (SEATLOCK_TESTS_FAST=1): the edit loop's suite, in process only. Tests that
 * start server processes, browsers or a Redis Cluster are left to `npm test`; those in files
 * that are otherwise in process are marked with `it.skipIf(fastOnly)`.
 */
export const fastOnly = process.env.SEATLOCK_TESTS_FAST === '1';

/** What `npm run test:fast` leaves out whole: these folders and files start processes or browsers. */
export const SLOW_TESTS = [
  'test/browser/**',
  'test/cluster/**',
  'test/durability/**',
  'test/docs/**',
  'test/tooling/**',
  'test/server/startup.test.ts',
  'test/server/memory.test.ts',
];
