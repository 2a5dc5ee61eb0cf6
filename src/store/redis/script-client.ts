import { ReplyError } from 'ioredis';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../../domain/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { RedisClient } from '../../lib/redis-connection.js';
import type { HoldPolicy } from '../store.js';
import type { RedisKeys } from './keys.js';
import type { Seat } from '../../domain/model.js';
import { refusalError, type RefusalContext, type SeatState } from './script-errors.js';
import type { ScriptOp } from './script-ops.js';

/** How long an operation waits for a lost connection to come back before it gives up. */
const CONNECT_WAIT_MS = 1_500;
/** ioredis's refusal of a command while disconnected (the offline queue is off): never sent. */
const NOT_SENT = /^Stream isn't writeable|^Connection is closed/;
/** Redis refusing to run anything now (a cluster without the slot's master, a node loading its data): nothing ran. */
const NOT_RUN = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN) /;

/** What a call knows beyond its arguments. */
export interface CallOptions {
  /** When its operation must have an answer (all its round trips together). */
  readonly deadline: number;
  /** What a changing call would make, named in the error that says its outcome is unknown. */
  readonly made?: StoreOutcomeUnknownError['made'];
  /** What its refusals need to be made into errors (see {@link RefusalContext}). */
  readonly refusal?: Omit<RefusalContext, 'eventId' | 'seats'>;
}

/** A script's JSON answer: `ok`, or a refusal code with its details; and the event's deadlines. */
interface ScriptReply {
  readonly ok?: unknown;
  readonly err?: string;
  readonly now: number;
  readonly next: number | false;
  readonly [detail: string]: unknown;
}

export interface ScriptClientOptions {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly policy: HoldPolicy;
  readonly changeLogSize: number;
  /** REDIS_TIMEOUT_SECONDS: how long one operation may take, all its round trips together. */
  readonly timeoutMs: number;
  /** Judges time by this clock instead of Redis's (tests that step time). */
  readonly clock?: Clock | undefined;
  /** Makes the seats a script names into the API's seats. */
  readonly seats: (eventId: string, states: readonly SeatState[]) => Seat[];
  /** Told Redis's time and the event's earliest deadline after every JSON answer (the expiry sweeper). */
  readonly onReply: (eventId: string, now: number, next: number | null) => void;
}

/**
 * Runs the seat scripts (src/store/redis/scripts/): typed arguments in, the `ok` answer out, or
 * the refusal as its typed error (through the one table, script-errors.ts). Every call is bounded
 * by its operation's deadline, and a failure says what it means to the caller: Redis refusing
 * the script (a ReplyError, a bug) stays as it is, but a Redis that runs nothing now (CLUSTERDOWN,
 * LOADING…) and a call never sent are StoreUnavailableError; a changing
 * call sent and then not answered (a timeout, a dropped connection) is StoreOutcomeUnknownError.
 */
export class ScriptClient {
  private context: string;
  private store = '';

  constructor(private readonly options: ScriptClientOptions) {
    this.context = this.contextJson();
  }

  /** The id of the store this instance sells from: the scripts refuse another's events. */
  set storeId(id: string | undefined) {
    this.store = id ?? '';
    this.context = this.contextJson();
  }

  /** When an operation that starts now must have its answer. */
  deadline(): number {
    return Date.now() + this.options.timeoutMs;
  }

  /**
   * The promise, or a rejection once `deadline` passes (a timeout, as ioredis words it). ioredis's
   * own command timeout is not enough: with auto-pipelining, a command waits unsent (its timer
   * not yet running) behind a batch that waits for a hung Redis.
   */
  withinDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
    if (!Number.isFinite(deadline)) return promise;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Command timed out')), Math.max(0, deadline - Date.now()));
    });
    return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
  }

  /** Connected, or StoreUnavailableError after a moment. */
  async connected(): Promise<void> {
    const { redis } = this.options;
    if (redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new StoreUnavailableError());
      }, CONNECT_WAIT_MS);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', onReady);
    });
  }

  /** Runs `op` on the event's keys: its `ok` answer, or its refusal thrown as the typed error. */
  async call<TArgs, TOk>(op: ScriptOp<TArgs, TOk>, eventId: string, args: TArgs, options: CallOptions): Promise<TOk> {
    const reply = await this.send(op, eventId, args, options);
    return this.decode(eventId, reply, options) as TOk;
  }

  /** Runs an op that answers a flat array (read-seats); a refusal is thrown as for `call`. */
  async callForArray<TArgs>(op: ScriptOp<TArgs, never>, eventId: string, args: TArgs, options: CallOptions): Promise<readonly unknown[]> {
    const reply = await this.send(op, eventId, args, options);
    if (Array.isArray(reply)) return reply as unknown[];
    this.decode(eventId, reply, options);
    throw new Error(`seatlock script ${op.name} answered no array`);
  }

  private async send<TArgs, TOk>(op: ScriptOp<TArgs, TOk>, eventId: string, args: TArgs, { deadline, made = {} }: CallOptions): Promise<unknown> {
    if (Date.now() >= deadline) throw new StoreUnavailableError(new Error('no time was left to send it'));
    const { redis, keys, clock } = this.options;
    const now = clock ? String(clock.now()) : '';
    try {
      return await this.withinDeadline(op.script.run(redis, [keys.event(eventId)], [this.context, eventId, now, JSON.stringify(args)]), deadline);
    } catch (error) {
      if (error instanceof ReplyError) throw NOT_RUN.test((error as Error).message) ? new StoreUnavailableError(error) : error;
      if (!op.changes || (error instanceof Error && NOT_SENT.test(error.message))) throw new StoreUnavailableError(error);
      throw new StoreOutcomeUnknownError(made, error);
    }
  }

  private decode(eventId: string, raw: unknown, { refusal }: CallOptions): unknown {
    const reply = JSON.parse(String(raw)) as ScriptReply;
    this.options.onReply(eventId, reply.now, reply.next === false ? null : reply.next);
    if (reply.err === undefined) return reply.ok;
    const { err, now: _now, next: _next, ...details } = reply;
    throw refusalError(err, details, { ...refusal, eventId, seats: (states) => this.options.seats(eventId, states) });
  }

  private contextJson(): string {
    const { policy, changeLogSize } = this.options;
    return JSON.stringify({
      ttl: Math.round(policy.lockTtlMs),
      holdMax: Math.round(policy.holdMaxMs),
      maxSeats: policy.maxSeatsPerHold,
      logSize: changeLogSize,
      store: this.store,
    });
  }
}
