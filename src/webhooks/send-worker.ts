import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { SendRequest, SendResult, SendWorkerData } from './worker-sender.js';
import { keepAliveAgents, sendWebhook } from './sender.js';

// The requests, signatures and answers of webhooks are worked on this thread, at the lowest
// priority: with every core busy selling, delivery waits (its backlog waits in the store) and
// selling does not. On Linux a thread has a priority of its own: this lowers this thread's only.
try {
  setPriority(19);
} catch {
  // Not allowed here: delivery still runs off the selling thread, at the same priority.
}

const port = parentPort;
if (port === null) throw new Error('send-worker.js runs as a worker thread of the seatlock server');
const agents = keepAliveAgents((workerData as SendWorkerData).socketsPerEndpoint);

port.on('message', (request: SendRequest) => {
  void sendWebhook({ ...request.attempt, agents }).then((outcome) => port.postMessage({ id: request.id, outcome } satisfies SendResult));
});
