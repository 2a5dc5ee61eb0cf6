import { realSleep, systemClock, type Clock, type Sleep } from '../lib/clock.js';

/** How much replaying one client may have the server do. */
export interface ReplayLimits {
  /** Replays of one client running at once (`MAX_REPLAYS_PER_CLIENT`); more wait their turn. */
  readonly concurrentPerClient: number;
  /** Replayed changes one client is sent per second, over all its replays (`REPLAY_MESSAGES_PER_SECOND`). */
  readonly messagesPerSecond: number;
}

/** One running replay's claim on its client's budget. */
export interface ReplaySlot {
  /**
   * Counts one more message; answers a promise to wait on when the client has sent its share
   * for now (undefined: send at once, nothing to await).
   */
  take(): Promise<void> | undefined;
  /** Ends the replay: the next waiting one of the client starts. Safe to call twice. */
  release(): void;
}

/** A client's replays: those running, those waiting, and its message bucket. */
interface ClientReplays {
  running: number;
  readonly waiting: (() => void)[];
  tokens: number;
  updatedAt: number;
}

/** Idle clients are looked for once every this many replays. */
const FORGET_CHECK_EVERY = 1_000;

/** A replay that ran out of messages sleeps at least this long, so it wakes for a batch, not for each message. */
const MIN_PAUSE_MS = 50;

/**
 * Paces the replays of subscribers that resume (`afterVersion`, `Last-Event-ID`), per client:
 * replaying is the one thing a client can ask for that costs the server work in proportion to
 * history, and 1,000 subscriptions resuming from 10,000 changes back is 10 million messages.
 * Each client gets a few replays at once (the rest queue) and a bucket of messages per second
 * shared by them, so one client's storm is served at a steady trickle while everyone else's
 * requests go on; a resume of a short gap (a reconnect) fits in the bucket and is not slowed.
 */
export class ReplayBudget {
  private readonly clients = new Map<string, ClientReplays>();
  private readonly perMs: number;
  private starts = 0;

  constructor(
    private readonly limits: ReplayLimits,
    private readonly clock: Clock = systemClock,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.perMs = limits.messagesPerSecond / 1000;
  }

  /** Waits for one of the client's replay places. */
  async start(client: string): Promise<ReplaySlot> {
    if (++this.starts % FORGET_CHECK_EVERY === 0) this.forgetIdle();
    let replays = this.clients.get(client);
    if (!replays) {
      replays = { running: 0, waiting: [], tokens: this.limits.messagesPerSecond, updatedAt: this.clock.now() };
      this.clients.set(client, replays);
    }
    if (replays.running >= this.limits.concurrentPerClient) {
      const turn = replays;
      await new Promise<void>((resolve) => turn.waiting.push(resolve));
    } else {
      replays.running++;
    }
    const own = replays;
    let released = false;
    return {
      take: () => this.take(own),
      release: () => {
        if (released) return;
        released = true;
        this.release(own);
      },
    };
  }

  private take(replays: ClientReplays): Promise<void> | undefined {
    this.refill(replays);
    if (replays.tokens >= 1) {
      replays.tokens -= 1;
      return undefined;
    }
    const pause = Math.max(MIN_PAUSE_MS, (1 - replays.tokens) / this.perMs);
    return this.sleep(pause).then(() => {
      this.refill(replays);
      replays.tokens -= 1;
    });
  }

  private refill(replays: ClientReplays): void {
    const now = this.clock.now();
    replays.tokens = Math.min(this.limits.messagesPerSecond, replays.tokens + (now - replays.updatedAt) * this.perMs);
    replays.updatedAt = now;
  }

  private release(replays: ClientReplays): void {
    const next = replays.waiting.shift();
    // The place passes straight to the next in line.
    if (next) next();
    else replays.running--;
  }

  /**
   * A client is remembered until its bucket is full again, not just until its replays end: one
   * that resumed, stopped and resumed again would otherwise get a full bucket each time.
   */
  private forgetIdle(): void {
    for (const [client, replays] of this.clients) {
      if (replays.running > 0) continue;
      this.refill(replays);
      if (replays.tokens >= this.limits.messagesPerSecond) this.clients.delete(client);
    }
  }
}
