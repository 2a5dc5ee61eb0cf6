import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread moves the write-ahead log into the data file. */
const CHECKPOINT_EVERY_MS = 1_000;

// A CommonJS script evaluated in the worker, so it runs the same from sources and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 1000 });
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* the next one catches up */ }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. A checkpoint copies the log into the
 * database file and flushes it to disk; on the event loop that flush would stall every request
 * behind it, here it costs the sales nothing (a PASSIVE checkpoint never blocks the writer).
 */
export class Checkpointer {
  private readonly worker: Worker;

  constructor(path: string) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, module, everyMs: CHECKPOINT_EVERY_MS } });
    this.worker.unref();
    // A worker that fails leaves the writer's own automatic checkpoints to keep the log bounded.
    this.worker.on('error', () => undefined);
  }

  /** Stops the thread; resolves once its connection is closed. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
  }
}
