// The layers of src/, checked by `npm run check` (CONTRIBUTING "Layers"). Each rule names what a
// folder may not reach; read bottom up: domain and lib, venue, store, the cross-cutting services,
// the schema, the server, and the wiring (config, app, main) on top.

/** Everything in src/ outside the given folders. */
const outside = (...folders) => `^src/(?!(${folders.join('|')})/)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one; split what they share into a module both import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-stands-alone',
      comment: 'The model and its errors depend on nothing in seatlock.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: outside('domain') },
    },
    {
      name: 'lib-stands-alone',
      comment: 'Helpers are generic: no seat rules, no server.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: outside('lib', 'domain') },
    },
    {
      name: 'venue-is-layout-only',
      comment: 'Layouts and seat geometry are pure: no store, no server.',
      severity: 'error',
      from: { path: '^src/venue/' },
      to: { path: outside('venue', 'domain', 'lib') },
    },
    {
      name: 'store-below-the-api',
      comment: 'The stores own state and rules; they know nothing of GraphQL, HTTP, limits or logs.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: outside('store', 'venue', 'domain', 'lib') },
    },
    {
      name: 'shared-rules-know-no-store',
      comment: 'The rules beside the store interface are the same for every store, so they import none.',
      severity: 'error',
      from: { path: '^src/store/[^/]+$' },
      to: { path: '^src/store/(embedded|redis)/' },
    },
    {
      name: 'embedded-store-apart',
      severity: 'error',
      from: { path: '^src/store/embedded/' },
      to: { path: '^src/store/redis/' },
    },
    {
      name: 'redis-store-apart',
      severity: 'error',
      from: { path: '^src/store/redis/' },
      to: { path: '^src/store/embedded/' },
    },
    {
      name: 'services-below-the-api',
      comment: 'Limits, auth, observability and webhook delivery serve the schema and the server; they do not reach up.',
      severity: 'error',
      from: { path: '^src/(limits|auth|observability|webhooks)/' },
      to: { path: '^src/(schema|server|web)/|^src/(app|main|config)\\.ts$' },
    },
    {
      name: 'schema-through-the-store-interface',
      comment: 'Resolvers talk to SeatStore, never to one store, and never to the HTTP server.',
      severity: 'error',
      from: { path: '^src/schema/' },
      to: { path: '^src/store/(embedded|redis)/|^src/(server|web)/|^src/(app|main|config)\\.ts$' },
    },
    {
      name: 'server-through-the-store-interface',
      comment: 'HTTP, GraphQL plugins and subscriptions are wired to a store by app.ts, not by import.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/store/(embedded|redis)/|^src/(app|main)\\.ts$' },
    },
    {
      name: 'wiring-on-top',
      comment: 'app.ts is started by main.ts and by tests; nothing in src/ below imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(app|main)\\.ts$' },
    },
    {
      name: 'pages-are-static',
      comment: 'src/web/ is served as files to browsers; it imports only its own modules.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: outside('web') },
    },
    {
      name: 'src-ships-alone',
      comment: 'What runs in production never imports tests, benches, scripts or dev dependencies.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts|operations)/' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'Pages import by URL (/live.js), which only the server resolves; type-only packages have no runtime.',
      severity: 'error',
      from: { pathNot: '^src/web/' },
      to: { couldNotResolve: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types', 'typings'] },
  },
};
