import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly errors: number;
}

export interface HttpCall {
  readonly path: string;
  readonly body: string;
  /** Sent besides content-type and content-length (a client id header, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A closed-loop load: `concurrency` clients on keep-alive connections, each sending the next
 * request as soon as the last one is answered, for `seconds`.
 */
export async function runLoad(origin: string, concurrency: number, seconds: number, next: () => HttpCall): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(origin);
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const call = next();
      const sent = performance.now();
      const ok = await post(agent, url, call);
      latenciesMs.push(performance.now() - sent);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return { requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, errors };
}

/** One POST; true when the server answered (any HTTP status), false on a transport error. */
export function post(agent: Agent, url: URL, call: HttpCall): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: call.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(call.body), ...call.headers },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(true));
      },
    );
    req.once('error', () => resolve(false));
    req.end(call.body);
  });
}

/** One POST that returns the answer's body as received (its last byte in). */
export function postText(origin: string, path: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const payload = JSON.stringify(body);
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

/** One POST that returns the parsed JSON answer. */
export async function postJson(origin: string, path: string, body: unknown): Promise<unknown> {
  return JSON.parse(await postText(origin, path, body));
}
