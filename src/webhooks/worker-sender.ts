import { Worker } from 'node:worker_threads';
import type { Attempt, AttemptOutcome } from './sender.js';

/** An attempt sent to the worker, by the number its result comes back under. */
export interface SendRequest {
  readonly id: number;
  readonly attempt: Omit<Attempt, 'agents'>;
}

/** What the worker is started with. */
export interface SendWorkerData {
  readonly socketsPerEndpoint: number;
}

export interface SendResult {
  readonly id: number;
  readonly outcome: AttemptOutcome;
}

/**
 * Sends webhook attempts from a worker thread of the lowest priority (send-worker.ts), so that
 * the HTTP requests, their signatures and their answers take no time from the thread that sells.
 * The deliverer still claims and records on the selling thread: what the worker does is only
 * the request. A worker that dies fails its attempts in flight (they are retried on the
 * schedule) and is started again for the next.
 */
export class WorkerSender {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (outcome: AttemptOutcome) => void>();
  private nextId = 0;
  private stopped = false;

  constructor(private readonly socketsPerEndpoint: number) {}

  readonly send = (attempt: Attempt): Promise<AttemptOutcome> => {
    if (this.stopped) return Promise.resolve({ kind: 'failed', statusCode: null, retryAfterMs: null, error: 'the server is stopping' });
    const id = this.nextId++;
    const { agents: _agents, ...plain } = attempt;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.running().postMessage({ id, attempt: plain } satisfies SendRequest);
    });
  };

  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll('the server is stopping');
    await worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./send-worker.js', import.meta.url), {
      workerData: { socketsPerEndpoint: this.socketsPerEndpoint } satisfies SendWorkerData,
    });
    worker.unref();
    worker.on('message', ({ id, outcome }: SendResult) => {
      const resolve = this.waiting.get(id);
      this.waiting.delete(id);
      resolve?.(outcome);
    });
    const lost = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(reason);
    };
    worker.on('error', (error) => lost(`the delivery thread failed: ${error.message}`));
    worker.on('exit', (code) => lost(`the delivery thread exited (${code})`));
    this.worker = worker;
    return worker;
  }

  private failAll(error: string): void {
    for (const resolve of this.waiting.values()) resolve({ kind: 'failed', statusCode: null, retryAfterMs: null, error });
    this.waiting.clear();
  }
}
