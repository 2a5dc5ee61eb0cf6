import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listeningApp } from '../support/apps.js';

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

/** A raw POST over the socket, so the server's own request handling (fast path or not) runs. */
function post(url: URL, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: compared as text.
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, body: parsed });
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

const requests: [string, string, Record<string, string>][] = [
  ['a query', JSON.stringify({ query: '{ events { id name version counts { total } } }' }), JSON_HEADERS],
  ['a query, graphql-response+json', JSON.stringify({ query: '{ events { id } }' }), { ...JSON_HEADERS, accept: 'application/graphql-response+json' }],
  [
    'a named operation among several',
    JSON.stringify({ query: 'query A { events { id } } query B { event(id: "play") { name } }', operationName: 'B' }),
    JSON_HEADERS,
  ],
  ['variables', JSON.stringify({ query: 'query($id: ID!) { event(id: $id) { id } }', variables: { id: 'play' } }), JSON_HEADERS],
  [
    'a typed error from a mutation',
    JSON.stringify({ query: 'mutation { lockSeat(eventId: "nope", seatId: "A-1") { __typename ... on Error { message } } }' }),
    JSON_HEADERS,
  ],
  ['an EVENT_NOT_FOUND field error', JSON.stringify({ query: '{ seats(eventId: "nope") { id } }' }), JSON_HEADERS],
  ['a syntax error', JSON.stringify({ query: '{ events { id ' }), JSON_HEADERS],
  ['a syntax error, graphql-response+json', JSON.stringify({ query: '{ events { id ' }), { ...JSON_HEADERS, accept: 'application/graphql-response+json' }],
  ['an unknown field', JSON.stringify({ query: '{ nope }' }), JSON_HEADERS],
  [
    'a variable of the wrong type',
    JSON.stringify({ query: 'query($id: ID!) { event(id: $id) { id } }', variables: { id: { a: 1 } } }),
    { ...JSON_HEADERS, accept: 'application/graphql-response+json' },
  ],
  ['a missing variable', JSON.stringify({ query: 'query($id: ID!) { event(id: $id) { id } }' }), JSON_HEADERS],
  ['no query', JSON.stringify({ variables: {} }), JSON_HEADERS],
  ['a query that is not a string', JSON.stringify({ query: 42 }), JSON_HEADERS],
  ['a batch', JSON.stringify([{ query: '{ events { id } }' }]), JSON_HEADERS],
  ['malformed JSON', '{"query": ', JSON_HEADERS],
  ['a subscription over POST', JSON.stringify({ query: 'subscription { seatChanged(eventId: "nope") { version } }' }), JSON_HEADERS],
  ['a cross-origin request', JSON.stringify({ query: '{ events { id } }' }), { ...JSON_HEADERS, origin: 'http://example.test' }],
];

describe('the fast path for JSON POSTs', () => {
  it.each(requests)('answers %s exactly as yoga does', async (_name, body, headers) => {
    const server = await listeningApp();
    const overSocket = await post(server.url, body, headers);
    // A copy: the fetch API implementation writes content-length into the object it is given.
    const throughYoga = await server.app.yoga.fetch(server.url.href, { method: 'POST', headers: { ...headers }, body });
    const text = await throughYoga.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: compared as text.
    }
    expect(overSocket).toEqual({ status: throughYoga.status, contentType: throughYoga.headers.get('content-type'), body: parsed });
  });

  it('answers a mutation once, with its effect applied once', async () => {
    const server = await listeningApp();
    const answer = await post(server.url, JSON.stringify({ query: 'mutation { lockSeat(eventId: "play", seatId: "A-1") { __typename } }' }), JSON_HEADERS);
    expect(answer).toMatchObject({ status: 200, body: { data: { lockSeat: { __typename: 'Hold' } } } });
    const event = await post(server.url, JSON.stringify({ query: '{ event(id: "play") { version } }' }), JSON_HEADERS);
    expect(event.body).toEqual({ data: { event: { version: 1 } } });
  });
});
