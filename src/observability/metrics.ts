import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AreaCounts, EventSummary, SeatChange } from '../domain/model.js';
import type { SeatStore } from '../store/store.js';

/** Operation names are the client's to choose: past this many distinct ones, the rest count as "(other)". */
const MAX_OPERATION_NAMES = 200;
const REQUEST_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const EXPIRY_LAG_SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** The time series one operation of one document counts on. */
interface OperationSeries {
  readonly duration: { observe(seconds: number): void };
  readonly ok: { inc(): void };
  readonly error: { inc(): void };
}

/** What the subscriptions have done, as their multiplexer counts it (read when scraped). */
export interface SubscriptionCounters {
  /** Subscribers joined to a shared subscription now. */
  readonly subscribers: number;
  /** Results written to subscribers. */
  readonly delivered: number;
  /** Subscribers cut off for falling too far behind. */
  readonly cutOff: number;
}

/** What `/metrics` reads from the rest of the server when it is scraped. */
export interface MetricSources {
  /** Read when scraped (the metrics are made before the store, which counts on them as it opens). */
  readonly store: () => SeatStore;
  readonly subscriptions: SubscriptionCounters;
  /** Open WebSocket connections. */
  readonly webSockets: () => number;
}

/** seatlock's Prometheus metrics: Node's own, GraphQL requests, and the sale itself. */
export interface SeatlockMetrics {
  readonly registry: Registry;
  /** The envelop plugin that counts and times GraphQL operations. */
  readonly plugin: Plugin;
  /** Counts a change the store published (and times an expiry's lag). */
  observeChange(change: SeatChange): void;
  /** Counts one webhook delivery attempt by what became of it. */
  observeWebhookOutcome(outcome: 'delivered' | 'failed' | 'gone' | 'given_up'): void;
  /** Counts a lock refused for want of an admission. */
  observeAdmissionRefused(eventId: string): void;
}

/**
 * The metrics of one server, on a registry of its own (several servers in one test process
 * must not share counters). Names and meanings are listed in docs/operating.md "Metrics and logs".
 */
export function createMetrics(sources: MetricSources): SeatlockMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'seatlock_graphql_requests_total',
    help: 'GraphQL operations executed, by operation name, type and outcome (ok, or error when the result has errors).',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'seatlock_graphql_request_duration_seconds',
    help: 'Time to execute a GraphQL query or mutation (after parse and validation), by operation name and type.',
    labelNames: ['operation', 'type'],
    buckets: REQUEST_SECONDS_BUCKETS,
    registers: [registry],
  });
  const changes = new Counter({
    name: 'seatlock_seat_changes_total',
    help: 'Seat changes this instance saw published, by event and reason (LOCKED, BOOKED, RELEASED, EXPIRED, …). Every instance sees every change: take the max across instances, not the sum.',
    labelNames: ['event', 'reason'],
    registers: [registry],
  });
  const expiryLag = new Histogram({
    name: 'seatlock_expiry_lag_seconds',
    help: 'From a hold’s expiresAt to its EXPIRED change reaching this instance.',
    buckets: EXPIRY_LAG_SECONDS_BUCKETS,
    registers: [registry],
  });
  // Outcomes only: endpoint URLs and message bodies never become labels.
  const webhookAttempts = new Counter({
    name: 'seatlock_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome: delivered (2xx), failed (retried), gone (410: endpoint disabled), given_up.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'seatlock_webhook_pending',
    help: 'Webhook deliveries not yet delivered or given up.',
    registers: [registry],
    async collect() {
      const pending = await sources
        .store()
        .webhooks.pendingWebhooks()
        .catch(() => null);
      this.set(pending?.count ?? 0);
    },
  });
  new Gauge({
    name: 'seatlock_webhook_oldest_pending_seconds',
    help: 'Age of the oldest webhook delivery not yet delivered or given up (0 when none).',
    registers: [registry],
    async collect() {
      const pending = await sources
        .store()
        .webhooks.pendingWebhooks()
        .catch(() => null);
      this.set(pending?.oldestCreatedAt == null ? 0 : Math.max(0, Date.now() - pending.oldestCreatedAt) / 1000);
    },
  });
  // One listing per scrape for both gauges (a registry collects its metrics together): on Redis
  // a listing is a round trip per event.
  let listing: Promise<EventSummary[]> | null = null;
  const eventsOfScrape = () =>
    (listing ??= sources
      .store()
      .listEvents()
      .catch(() => [])
      .finally(() => {
        listing = null;
      }));
  const setByStatus = (gauge: Gauge, labels: Record<string, string>, counts: AreaCounts) => {
    gauge.set({ ...labels, status: 'AVAILABLE' }, counts.available);
    gauge.set({ ...labels, status: 'LOCKED' }, counts.locked);
    gauge.set({ ...labels, status: 'BOOKED' }, counts.booked);
    gauge.set({ ...labels, status: 'BLOCKED' }, counts.blocked);
  };
  new Gauge({
    name: 'seatlock_seats',
    help: 'Seats by event and status.',
    labelNames: ['event', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const event of await eventsOfScrape()) setByStatus(this, { event: event.id }, event.counts);
    },
  });
  new Gauge({
    name: 'seatlock_area_places',
    help: 'Places of general admission areas by event, area and status.',
    labelNames: ['event', 'area', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const event of await eventsOfScrape()) {
        for (const area of event.areas) setByStatus(this, { event: event.id, area: area.id }, area);
      }
    },
  });
  const admissionRefusals = new Counter({
    name: 'seatlock_admission_refusals_total',
    help: 'Locks refused with AdmissionRequiredError (the event’s waiting room is on, and no valid admission was shown), by event.',
    labelNames: ['event'],
    registers: [registry],
  });
  new Gauge({
    name: 'seatlock_queue_tickets',
    help: 'Waiting room tickets by event and status: waiting (in line), admitted (admission running), lapsed (admission ended).',
    labelNames: ['event', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rooms = await sources
        .store()
        .waitingRooms.rooms()
        .catch(() => []);
      for (const room of rooms) {
        this.set({ event: room.eventId, status: 'waiting' }, room.waiting);
        this.set({ event: room.eventId, status: 'admitted' }, room.admitted);
        this.set({ event: room.eventId, status: 'lapsed' }, room.lapsed);
      }
    },
  });
  new Gauge({
    name: 'seatlock_active_holds',
    help: 'Holds that are ACTIVE now, by event.',
    labelNames: ['event'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await sources
        .store()
        .activeHoldCounts()
        .catch(() => new Map<string, number>());
      for (const [event, count] of counts) this.set({ event }, count);
    },
  });
  new Gauge({
    name: 'seatlock_store_up',
    help: '1 while the store answers (Redis reachable, data file writable), else 0.',
    registers: [registry],
    async collect() {
      this.set(
        (await sources
          .store()
          .isReady()
          .catch(() => false))
          ? 1
          : 0,
      );
    },
  });
  new Gauge({
    name: 'seatlock_subscribers',
    help: 'Subscriptions being served now, over WebSocket and SSE.',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions.subscribers);
    },
  });
  new Gauge({
    name: 'seatlock_websocket_connections',
    help: 'Open WebSocket connections.',
    registers: [registry],
    collect() {
      this.set(sources.webSockets());
    },
  });
  // Counted where they happen, on the hot path, as plain numbers; read as counters when scraped.
  const countedElsewhere = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  countedElsewhere('seatlock_subscription_messages_total', 'Subscription results written to subscribers.', () => sources.subscriptions.delivered);
  countedElsewhere(
    'seatlock_slow_subscribers_cut_off_total',
    'Subscribers disconnected because they stopped reading (more unsent bytes than allowed).',
    () => sources.subscriptions.cutOff,
  );

  const operationNames = new Set<string>();
  const operationLabel = (name: string | undefined): string => {
    if (!name) return '(anonymous)';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= MAX_OPERATION_NAMES) return '(other)';
    operationNames.add(name);
    return name;
  };

  // The series of each parsed document's operation, found once: a lock storm runs the same few
  // documents (the parse cache hands back the same object), and labelling by name per request
  // would cost each request more than the rest of the metrics together.
  const seriesByDocument = new WeakMap<DocumentNode, Map<string, OperationSeries>>();
  const seriesOf = (document: DocumentNode, operationName: string | null | undefined): OperationSeries => {
    const byName = seriesByDocument.get(document) ?? new Map<string, OperationSeries>();
    seriesByDocument.set(document, byName);
    const known = byName.get(operationName ?? '');
    if (known) return known;
    const operation = getOperationAST(document, operationName);
    const labels = { operation: operationLabel(operation?.name?.value), type: operation?.operation ?? 'unknown' };
    const series: OperationSeries = {
      duration: durations.labels(labels),
      ok: requests.labels({ ...labels, outcome: 'ok' }),
      error: requests.labels({ ...labels, outcome: 'error' }),
    };
    byName.set(operationName ?? '', series);
    return series;
  };

  return {
    registry,
    plugin: {
      onExecute({ args }) {
        const series = seriesOf(args.document, args.operationName);
        const started = performance.now();
        return {
          onExecuteDone({ result }) {
            // A stream (incremental delivery) is timed to its first part.
            const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
            series.duration.observe((performance.now() - started) / 1000);
            (failed ? series.error : series.ok).inc();
          },
        };
      },
      onSubscribe({ args }) {
        seriesOf(args.document, args.operationName).ok.inc();
      },
    },
    observeWebhookOutcome(outcome) {
      webhookAttempts.inc({ outcome });
    },
    observeAdmissionRefused(eventId) {
      admissionRefusals.inc({ event: eventId });
    },
    observeChange(change) {
      changes.inc({ event: change.eventId, reason: change.reason });
      // An EXPIRED change is dated when the hold ran out, not when it was noticed.
      if (change.reason === 'EXPIRED') expiryLag.observe(Math.max(0, Date.now() - change.at.getTime()) / 1000);
    },
  };
}
