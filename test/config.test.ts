import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig } from '../src/config.js';
import { demoEvent } from '../src/venue/demo-event.js';
import { LayoutError, parseEventLayouts } from '../src/venue/layout.js';

describe('loadConfig', () => {
  it('uses the defaults for unset and empty variables', () => {
    expect(loadConfig({})).toEqual(defaultConfig);
    expect(loadConfig({ PORT: '', LOCK_TTL_SECONDS: '  ', EVENTS_FILE: '', REDIS_URL: '' })).toEqual(defaultConfig);
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        LOCK_TTL_SECONDS: '0.5',
        HOLD_MAX_SECONDS: '30',
        MAX_SEATS_PER_HOLD: '4',
        EVENTS_FILE: 'events.json',
        REDIS_URL: 'redis://127.0.0.1:6379/0',
        REDIS_KEY_PREFIX: 'box-office',
        MAX_DEPTH: '8',
        MAX_ALIASES: '100',
        MAX_TOKENS: '5000',
        MAX_COST: '900',
        MAX_DIRECTIVES: '3',
        LOCK_BURST: '5',
        LOCKS_PER_MINUTE: '30',
        CLIENT_IDENTITY: 'header:X-Client-Id',
        MAX_SOCKETS_PER_CLIENT: '7',
        MAX_SEATS_PER_CLIENT: '6',
        CHANGE_LOG_SIZE: '50000',
        MAX_SUBSCRIPTIONS_PER_SOCKET: '4',
        MAX_SUBSCRIPTION_BYTES_PER_CLIENT: '65536',
        MAX_REPLAYS_PER_CLIENT: '3',
        REPLAY_MESSAGES_PER_SECOND: '500',
        MAX_EVENT_SEATS: '1000',
        NODE_ENV: 'production',
        DATA_SYNC: 'full',
        CORS_ORIGINS: 'https://tickets.example.com, http://localhost:5173',
        HEADERS_TIMEOUT_SECONDS: '5',
        REQUEST_TIMEOUT_SECONDS: '20',
        KEEP_ALIVE_TIMEOUT_SECONDS: '65',
        REDIS_TIMEOUT_SECONDS: '2.5',
        ADMIN_TOKEN: 'a-box-office-secret-of-40-characters-xyz',
        METRICS_PUBLIC: 'true',
        WEBHOOKS_ALLOW_PRIVATE: 'true',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      lockTtlSeconds: 0.5,
      holdMaxSeconds: 30,
      maxSeatsPerHold: 4,
      eventsFile: 'events.json',
      redisUrl: 'redis://127.0.0.1:6379/0',
      redisClusterNodes: null,
      redisKeyPrefix: 'box-office',
      redisTimeoutMs: 2_500,
      dataFile: 'data/seatlock.db',
      dataSync: 'full',
      production: true,
      graphiql: false,
      introspection: false,
      documentLimits: { maxDepth: 8, maxAliases: 100, maxTokens: 5000, maxCost: 900, maxDirectives: 3 },
      lockRate: { burst: 5, perMinute: 30 },
      clientIdentity: { kind: 'header', name: 'x-client-id' },
      maxSocketsPerClient: 7,
      maxSeatsPerClient: 6,
      changeLogSize: 50_000,
      maxSubscriptionsPerSocket: 4,
      maxSubscriptionBytesPerClient: 65_536,
      maxReplaysPerClient: 3,
      replayMessagesPerSecond: 500,
      maxEventSeats: 1_000,
      corsOrigins: ['https://tickets.example.com', 'http://localhost:5173'],
      httpTimeouts: { headersMs: 5_000, requestMs: 20_000, keepAliveMs: 65_000 },
      adminToken: 'a-box-office-secret-of-40-characters-xyz',
      metricsPublic: true,
      webhooksAllowPrivate: true,
      logLevel: 'debug',
    });
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadConfig({ LOCKS_PER_MINUTE: '0' }).lockRate).toBeNull();
    expect(loadConfig({ DATA_FILE: '/var/lib/seatlock/box-office.db' }).dataFile).toBe('/var/lib/seatlock/box-office.db');
    expect(loadConfig({ DATA_FILE: ':memory:' }).dataFile).toBe(':memory:');
  });

  it('reads REDIS_CLUSTER_NODES, and refuses it with REDIS_URL or DATA_FILE or a bad entry', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b.internal:7001,[::1]:7002' }).redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(loadConfig({}).redisClusterNodes).toBeNull();
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1' })).toThrow(/REDIS_CLUSTER_NODES must be host:port entries .* got "10.0.0.1"/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:70000' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_URL: 'redis://x:6379' })).toThrow(/^REDIS_URL and REDIS_CLUSTER_NODES are both set/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', DATA_FILE: 'x.db' })).toThrow(/^DATA_FILE and REDIS_CLUSTER_NODES are both set/);
  });

  it('refuses DATA_FILE together with REDIS_URL, naming both', () => {
    expect(() => loadConfig({ DATA_FILE: 'data/x.db', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/^DATA_FILE and REDIS_URL are both set/);
  });

  it('never prints ADMIN_TOKEN, even when refusing it', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'my-real-secret-with-typo' })).toThrow(/ADMIN_TOKEN must be at least 32 characters without spaces \(it has 24\)/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'my-real-secret-with-typo' })).not.toThrow(/my-real-secret/);
  });

  it('turns GraphiQL and introspection off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' })).toMatchObject({ graphiql: true, introspection: false });
    expect(loadConfig({ INTROSPECTION: '0' })).toMatchObject({ graphiql: true, introspection: false });
  });

  it.each([
    ['GRAPHIQL', 'yes'],
    ['CLIENT_IDENTITY', 'cookie'],
    ['PORT', '65536'],
    ['PORT', '4000abc'],
    ['LOCK_TTL_SECONDS', '0'],
    ['LOCK_TTL_SECONDS', '1e3'],
    ['HOLD_MAX_SECONDS', 'ten'],
    ['MAX_SEATS_PER_HOLD', '2.5'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_KEY_PREFIX', 'has space'],
    ['DATA_SYNC', 'always'],
    ['CORS_ORIGINS', 'null'],
    ['CORS_ORIGINS', 'https://tickets.example.com/'],
    ['CORS_ORIGINS', 'tickets.example.com'],
    ['CORS_ORIGINS', 'https://a.example, *'],
    ['HEADERS_TIMEOUT_SECONDS', '0'],
    ['REQUEST_TIMEOUT_SECONDS', '5'],
    ['ADMIN_TOKEN', 'too-short'],
    ['ADMIN_TOKEN', 'has a space in it but is long enough to pass'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });
});

describe('event layouts', () => {
  it('numbers seats by row and labels them', () => {
    const [event] = parseEventLayouts({
      events: [{ id: 'gig', name: 'Gig', sections: [{ name: 'Floor', seatIdPrefix: 'F', rows: [{ row: 'A', seats: 2, firstNumber: 10 }] }] }],
    });
    expect(event?.seats).toEqual([
      { id: 'FA-10', label: 'A10', section: 'Floor', row: 'A', number: 10, x: 0, y: 0 },
      { id: 'FA-11', label: 'A11', section: 'Floor', row: 'A', number: 11, x: 1, y: 0 },
    ]);
  });

  it.each([
    [{}, /\(top level\) has|events must be a non-empty array/],
    [{ events: [{ id: 'a', name: 'A', sections: [{ name: 'S', rows: [{ row: 'A', seats: 1 }] }], extra: 1 }] }, /events\[0\] has an unknown key "extra"/],
    [
      {
        events: [
          {
            id: 'a',
            name: 'A',
            sections: [
              {
                name: 'S',
                rows: [
                  { row: 'A', seats: 1 },
                  { row: 'A', seats: 1 },
                ],
              },
            ],
          },
        ],
      },
      /seat id "A-1" a second time/,
    ],
    [
      {
        events: [
          { id: 'a', name: 'A', sections: [{ name: 'S', rows: [{ row: 'A', seats: 1 }] }] },
          { id: 'a', name: 'B', sections: [{ name: 'S', rows: [{ row: 'A', seats: 1 }] }] },
        ],
      },
      /events\[1\]\.id "a" is used twice/,
    ],
    [{ events: [{ id: 'a', name: '', sections: [] }] }, /events\[0\]\.name must be a non-empty string/],
  ])('rejects a bad layout with a message naming the entry (%#)', (document, message) => {
    expect(() => parseEventLayouts(document)).toThrow(LayoutError);
    expect(() => parseEventLayouts(document)).toThrow(message);
  });

  it('refuses a layout past MAX_EVENT_SEATS at the row that passes it, before making its seats', () => {
    const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ row: `R${index}`, seats: 10_000 }));
    // 4 million seats in an 11 KB document: 400 rows of 10,000 over two sections.
    const huge = {
      events: [
        {
          id: 'a',
          name: 'A',
          sections: [
            { name: 'S', rows: rows(200) },
            { name: 'T', seatIdPrefix: 'T', rows: rows(200) },
          ],
        },
      ],
    };
    expect(JSON.stringify(huge).length).toBeLessThan(12_000);
    // Named at the row that passes the limit: no seat of the rows after it was made.
    expect(() => parseEventLayouts(huge)).toThrow(
      'events[0].sections[0].rows[20].seats takes the event past 200,000 seats, the most one event may have (MAX_EVENT_SEATS)',
    );
    const small = {
      events: [
        {
          id: 'a',
          name: 'A',
          sections: [
            {
              name: 'S',
              rows: [
                { row: 'A', seats: 6 },
                { row: 'B', seats: 5 },
              ],
            },
          ],
        },
      ],
    };
    expect(() => parseEventLayouts(small, { maxSeats: 10 })).toThrow('events[0].sections[0].rows[1].seats takes the event past 10 seats');
    expect(parseEventLayouts(small, { maxSeats: 11 })[0]?.seats).toHaveLength(11);
  });

  it('serves a theatre-sized demo event', () => {
    const event = demoEvent();
    expect(event.id).toBe('demo');
    expect(event.seats.length).toBe(248);
    expect(new Set(event.seats.map((seat) => seat.row)).size).toBe(14);
  });
});
