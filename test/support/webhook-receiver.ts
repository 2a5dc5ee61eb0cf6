import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { disposeAfterTest } from './apps.js';

/** One request a receiver got. */
export interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/**
 * A real webhook receiver on loopback: answers each request as `answer` says (204 by default)
 * and keeps what it got. Closed after the test.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: (response: ServerResponse, request: Received) => void = (response) => response.writeHead(204).end();
  private constructor(private readonly server: Server) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', async (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const received = { headers: request.headers, body: Buffer.concat(chunks).toString() };
      receiver.received.push(received);
      receiver.answer(response, received);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    disposeAfterTest(() => receiver.close());
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(host = '127.0.0.1'): string {
    return `http://${host}:${this.port}/hooks`;
  }

  /** The message types received, in order. */
  types(): string[] {
    return this.received.map((request) => (JSON.parse(request.body) as { type: string }).type);
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
