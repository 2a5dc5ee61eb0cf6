import { configDefaults, defineConfig } from 'vitest/config';
import { fastOnly, SLOW_TESTS } from './test/support/speed.js';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the server's dependencies; tests must load that
    // same copy, or GraphQLError instances from src/ would not be recognised by yoga.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // npm run test:fast: what runs in process (test/support/speed.ts).
    exclude: [...configDefaults.exclude, ...(fastOnly ? SLOW_TESTS : [])],
    globalSetup: ['test/support/global-setup.ts'],
    // A deadline against hangs, not a speed limit: on a machine busy with other work a test that
    // starts a few server processes takes several times what it takes alone (npm run test:stress).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Subscription and concurrency tests start real servers; a 2-core machine runs two files at once.
    maxWorkers: 2,
    // Memory assertions (the slow-consumer test) collect garbage before they measure.
    execArgv: ['--expose-gc'],
  },
});
