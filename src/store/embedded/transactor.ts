import { StoreUnavailableError } from '../../domain/errors.js';
import { isAreaChange, type EventChange } from '../../domain/model.js';
import type { Clock } from '../../lib/clock.js';
import type { SeatlockPubSub } from '../pubsub.js';
import { DataFileGoneError, type EmbeddedPersistence } from './persistence.js';
import { Effects } from './step-effects.js';

/** One operation of the embedded store: what it does at `now`, the changes it makes, the events it removes. */
export type Step<T> = (now: number, changes: EventChange[], removedEventIds: string[]) => T;

interface PendingStep {
  readonly changes: readonly EventChange[];
  /** Events the step removed: their subscriptions end once its changes are published. */
  readonly removedEventIds: readonly string[];
  /** Answers the caller: the operation's result or its typed error. */
  readonly settle: () => void;
  /** Answers the caller that nothing was applied. */
  readonly fail: (error: unknown) => void;
}

export interface TransactorOptions {
  readonly persistence: EmbeddedPersistence | null;
  readonly pubsub: SeatlockPubSub;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** Applies what is due by `now` before each step (the holds that expired). */
  readonly beforeEachStep: (now: number, changes: EventChange[]) => void;
  /** After a commit: arm the expiry timer for the next deadline. */
  readonly afterCommit: () => void;
  /** After a failed write: put the state back as the data file has it (it throws when it cannot). */
  readonly reload: () => void;
  /** When nothing more may be served: stop the expiry timer. */
  readonly onStop: () => void;
}

/**
 * How the embedded store's steps become durable and public: each runs at one instant, is applied
 * in memory, written with the others of its turn of the event loop in one transaction (group
 * commit), and only then published and answered. A write that fails leaves none of them applied:
 * the state is read back from the data file, every caller gets StoreUnavailableError, and /ready
 * says 503 until writes work again; a data file taken away stops the store for good.
 */
export class Transactor {
  /** What the steps since the last commit changed: the store's operations add to it. */
  readonly effects = new Effects();
  private pending: PendingStep[] = [];
  private commitScheduled = false;
  private closed = false;
  /**
   * Set when nothing more may be served: a write failed and the stored state could not be read
   * back, or the data file was taken away under the server.
   */
  private broken: unknown = null;
  /** Since a write failed (a full disk), until one succeeds. */
  private writesFailing = false;

  constructor(private readonly options: TransactorOptions) {}

  /**
   * Runs one operation at one instant: first applies every expiry due by then, then the
   * operation (each step sees every step before it). What changed is written (even when the
   * operation failed, the expiries stand), and only then published and answered. Without a data
   * file each step settles at once.
   */
  run<T>(operation: Step<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The store is closed.'));
    if (this.broken !== null) return Promise.reject(new StoreUnavailableError(this.broken));
    const now = this.options.clock.now();
    const changes: EventChange[] = [];
    const removedEventIds: string[] = [];
    return new Promise<T>((resolve, reject) => {
      let settle: () => void;
      try {
        this.options.beforeEachStep(now, changes);
        const value = operation(now, changes, removedEventIds);
        settle = () => resolve(value);
      } catch (error) {
        settle = () => reject(error);
      }
      this.pending.push({ changes, removedEventIds, settle, fail: reject });
      if (this.options.persistence === null) this.commit();
      else if (!this.commitScheduled) {
        this.commitScheduled = true;
        setImmediate(() => this.commit());
      }
    });
  }

  /**
   * Writes the pending steps as one transaction, then publishes their changes and answers them.
   * @returns the error of a write that failed (its steps were answered with it), else null.
   */
  commit(): unknown {
    this.commitScheduled = false;
    const steps = this.pending;
    if (steps.length === 0) return null;
    this.pending = [];
    const { persistence, pubsub } = this.options;
    try {
      if (persistence && !this.effects.empty) {
        persistence.write(this.effects);
        if (this.writesFailing) this.writesWork();
      }
    } catch (writeError) {
      if (writeError instanceof DataFileGoneError) this.stopServing(writeError);
      else this.recover(writeError);
      for (const step of steps) step.fail(new StoreUnavailableError(writeError));
      return writeError;
    } finally {
      this.effects.clear();
    }
    for (const step of steps) {
      for (const change of step.changes) {
        if (isAreaChange(change)) pubsub.publish('areaChanged', change.eventId, change);
        else pubsub.publish('seatChanged', change.eventId, change);
      }
      for (const eventId of step.removedEventIds) {
        pubsub.end('seatChanged', eventId);
        pubsub.end('areaChanged', eventId);
        pubsub.end('queueProgress', eventId);
      }
    }
    this.options.afterCommit();
    for (const step of steps) step.settle();
    return null;
  }

  /** False while writes fail (each call tries one, so /ready recovers with the disk) and once broken. */
  isReady(): boolean {
    const { persistence } = this.options;
    if (this.closed || this.broken !== null) return false;
    if (!this.writesFailing || persistence === null) return true;
    try {
      persistence.probeWrite();
    } catch (error) {
      if (error instanceof DataFileGoneError) this.stopServing(error);
      return false;
    }
    this.writesWork();
    return true;
  }

  /** Commits what is pending and takes no step after. */
  close(): void {
    if (this.closed) return;
    this.commit();
    this.closed = true;
  }

  /**
   * After a failed write the state in memory is ahead of the file: the file is the truth. Said
   * once per outage (a full disk fails every step until it has room again).
   */
  private recover(writeError: unknown): void {
    if (!this.writesFailing) {
      this.options.log(
        `seatlock: could not write to the data file, nothing was applied; answering STORE_UNAVAILABLE until writes work again: ${String(writeError)}`,
      );
    }
    this.writesFailing = true;
    try {
      this.options.reload();
    } catch (loadError) {
      this.broken = loadError;
      this.options.onStop();
      this.options.log(`seatlock: the data file cannot be read back either; serving nothing until restarted: ${String(loadError)}`);
    }
  }

  private writesWork(): void {
    this.writesFailing = false;
    this.options.log('seatlock: writes to the data file work again; selling again');
  }

  /**
   * The data file is no longer at DATA_FILE: every step from now on would be lost at the next
   * start, so none is taken. What the store had is saved beside it, from the file it still holds open.
   */
  private stopServing(gone: DataFileGoneError): void {
    if (this.broken !== null) return;
    const { log, persistence } = this.options;
    this.broken = gone;
    this.options.onStop();
    log(
      `seatlock: STOPPED SELLING: ${gone.message}. Nothing more is answered, so no answered step is lost. ` +
        'The state as of the last answered step is being saved beside it; stop the server, put that copy at DATA_FILE, and start again.',
    );
    persistence?.rescue().then(
      (copy) =>
        log(copy === null ? 'seatlock: no copy of the data file could be saved' : `seatlock: the state as of the last answered step is saved in ${copy}`),
      (error: unknown) => log(`seatlock: could not save a copy of the data file: ${String(error)}`),
    );
  }
}
