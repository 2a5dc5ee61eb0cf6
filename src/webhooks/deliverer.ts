import { performance } from 'node:perf_hooks';
import type { Clock } from '../lib/clock.js';
import type { DueDelivery, WebhookAttempt, WebhookOutbox } from '../store/webhook-outbox.js';
import { nextRetryDelay } from './retry-schedule.js';
import { type Attempt, type AttemptOutcome, keepAliveAgents, type KeepAliveAgents, sendWebhook, WEBHOOK_TIMEOUT_MS } from './sender.js';

/** Requests in flight to one endpoint at most, by default: a slow receiver is not flooded. */
export const WEBHOOK_CONCURRENCY_PER_ENDPOINT = 4;

/**
 * Selling comes first: while the selling thread's event loop is busier than this, deliveries are
 * taken once per BUSY_PAUSE_MS instead of as soon as they are due or a request ends, and the rest
 * wait in the store until the rush is over.
 */
const BUSY_UTILIZATION = 0.8;
const BUSY_PAUSE_MS = 100;

/** What became of one attempt, for metrics. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'gone' | 'given_up';

export interface DelivererOptions {
  readonly outbox: WebhookOutbox;
  readonly clock: Clock;
  /** WEBHOOKS_ALLOW_PRIVATE: loopback, private and link-local addresses may be reached. */
  readonly allowPrivate: boolean;
  /** One line per endpoint disabled and per message given up; never a secret or a body. */
  readonly log: { warn(message: string): void };
  readonly onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Requests in flight to one endpoint at most (a slow receiver is not flooded). */
  readonly concurrencyPerEndpoint?: number;
  /** How often due deliveries are looked for when no commit wakes the deliverer. */
  readonly pollMs?: number;
  readonly random?: () => number;
  /** Sends one attempt (tests may count them); the real one by default. */
  readonly send?: (attempt: Attempt) => Promise<AttemptOutcome>;
  readonly timeoutMs?: number;
}

/**
 * Takes due deliveries from the store's outbox and sends them, off the selling path: a commit
 * only wakes it. It takes no more of an endpoint's deliveries than it can send at once (its
 * concurrency), so a slow receiver's backlog waits in the store, not in memory, and nothing
 * leased waits long enough for its lease to run out. Each attempt's outcome is written back to
 * the store (and with it when to try again, by the retry schedule), so a restart carries on
 * where it stopped.
 */
export class WebhookDeliverer {
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly room = (endpointId: string) => this.concurrency - (this.inFlight.get(endpointId) ?? 0);
  /** The connections of the deliverer's own sender; none when another sender (a worker) makes the requests. */
  private readonly agents: KeepAliveAgents | null;
  private loopSince = performance.eventLoopUtilization();
  private lastLook = 0;
  private busy = false;
  private busyBefore = false;
  private pausedWake: NodeJS.Timeout | null = null;

  constructor(private readonly options: DelivererOptions) {
    this.concurrency = options.concurrencyPerEndpoint ?? WEBHOOK_CONCURRENCY_PER_ENDPOINT;
    this.agents = options.send ? null : keepAliveAgents(this.concurrency);
    // Longer than an attempt can take, with room for a slow write of its outcome; short enough
    // that a dead instance's deliveries go out from another soon after.
    this.leaseMs = (options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) + 15_000;
  }

  /** Delivers from now on: at each commit that wrote deliveries, and every `pollMs` for retries. */
  start(): void {
    this.stopListening = this.options.outbox.onWebhooksDue(() => this.wake());
    const poll = () => {
      this.timer = setTimeout(() => {
        this.wake();
        poll();
      }, this.options.pollMs ?? 1_000);
      this.timer.unref();
    };
    poll();
    this.wake();
  }

  /** Stops taking deliveries and waits for the attempts in flight (their outcomes are kept). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.pausedWake) clearTimeout(this.pausedWake);
    await this.running;
    await this.settled();
    this.agents?.http.destroy();
    this.agents?.https.destroy();
  }

  /**
   * Takes the deliveries due now and tries them, and those that fall due as they end, until none
   * is due; settles when every attempt is done and written. Tests call it after moving their clock.
   */
  async runOnce(): Promise<void> {
    for (;;) {
      const claimed = await this.options.outbox.claimDueDeliveries(this.options.clock.now(), this.room, this.leaseMs);
      if (claimed.length === 0) return;
      this.startAll(claimed);
      await this.settled();
    }
  }

  /** Until no attempt is in flight. */
  private async settled(): Promise<void> {
    while (this.attempts.size > 0) await Promise.all([...this.attempts]);
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.sellingBusy()) {
      // Deliveries wait in the store while the selling thread is busy: one look per pause.
      this.pausedWake ??= setTimeout(() => {
        this.pausedWake = null;
        this.lastLook = 0;
        this.claimNow();
      }, BUSY_PAUSE_MS).unref();
      return;
    }
    this.claimNow();
  }

  /**
   * Whether the selling thread is in a rush (its event loop over BUSY_UTILIZATION of the time at
   * the last two looks): looked at most once per BUSY_PAUSE_MS, so asking costs nothing.
   */
  private sellingBusy(): boolean {
    const now = performance.now();
    if (now - this.lastLook < BUSY_PAUSE_MS) return this.busy;
    const utilization = performance.eventLoopUtilization();
    const busyNow = performance.eventLoopUtilization(utilization, this.loopSince).utilization > BUSY_UTILIZATION;
    // Two looks in a row: a rush, not one long commit or collection (which would hold messages back for nothing).
    this.busy = busyNow && this.busyBefore;
    this.busyBefore = busyNow;
    this.loopSince = utilization;
    this.lastLook = now;
    return this.busy;
  }

  private claimNow(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const claimed = await this.options.outbox.claimDueDeliveries(this.options.clock.now(), this.room, this.leaseMs).catch(() => []);
        this.startAll(claimed);
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  private startAll(deliveries: readonly DueDelivery[]): void {
    for (const delivery of deliveries) {
      const { endpointId } = delivery;
      this.inFlight.set(endpointId, (this.inFlight.get(endpointId) ?? 0) + 1);
      const attempt = this.attempt(delivery).finally(() => {
        this.attempts.delete(attempt);
        const left = (this.inFlight.get(endpointId) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(endpointId);
        else this.inFlight.set(endpointId, left);
        // A slot is free: take the endpoint's next due delivery, if any.
        if (this.timer !== null) this.wake();
      });
      this.attempts.add(attempt);
    }
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const { clock, allowPrivate, log, onOutcome, random, send = sendWebhook, timeoutMs } = this.options;
    const outcome = await send({
      url: delivery.url,
      secret: delivery.secret,
      messageId: delivery.messageId,
      body: delivery.body,
      now: clock.now(),
      allowPrivate,
      timeoutMs,
      agents: this.agents ?? undefined,
    });
    const base = { endpointId: delivery.endpointId, messageId: delivery.messageId };
    let record: WebhookAttempt;
    if (outcome.kind === 'delivered') {
      record = { ...base, status: 'DELIVERED', statusCode: outcome.statusCode, error: null, nextAttemptAt: null, disableEndpoint: null };
      onOutcome?.('delivered');
    } else if (outcome.kind === 'gone') {
      record = {
        ...base,
        status: 'GIVEN_UP',
        statusCode: 410,
        error: 'answered 410 Gone',
        nextAttemptAt: null,
        disableEndpoint: 'the receiver answered 410 Gone',
      };
      log.warn(`webhooks: endpoint ${delivery.endpointId} disabled: the receiver answered 410 Gone`);
      onOutcome?.('gone');
    } else {
      const delay = nextRetryDelay(delivery.attempts + 1, random, outcome.retryAfterMs);
      if (delay === null) {
        record = { ...base, status: 'GIVEN_UP', statusCode: outcome.statusCode, error: outcome.error, nextAttemptAt: null, disableEndpoint: null };
        log.warn(
          `webhooks: message ${delivery.messageId} to endpoint ${delivery.endpointId} given up after ${delivery.attempts + 1} attempts (${outcome.error})`,
        );
        onOutcome?.('given_up');
      } else {
        record = { ...base, status: 'FAILED', statusCode: outcome.statusCode, error: outcome.error, nextAttemptAt: clock.now() + delay, disableEndpoint: null };
        onOutcome?.('failed');
      }
    }
    // A store that cannot write now keeps the lease: the delivery is tried again once it runs out.
    await this.options.outbox.recordWebhookAttempt(record).catch(() => undefined);
  }
}
