import { postJson } from './http-load.js';

/** Locks per request where a scenario makes many holds: one aliased lockSeat field each, far fewer round trips. */
export const LOCKS_PER_REQUEST = 100;

/** What the server needs to take LOCKS_PER_REQUEST aliased locks in a request: more aliases and tokens than the defaults allow a client. */
export const ALIASED_LOCKS_ENV = { MAX_ALIASES: String(LOCKS_PER_REQUEST), MAX_TOKENS: '20000', MAX_COST: '100000' } as const;

const documents = new Map<number, string>();

/** The mutation locking `size` seats of event "bench", a hold each; one document per size, so the server parses, validates and compiles it once. */
function document(size: number): string {
  let text = documents.get(size);
  if (text === undefined) {
    const variables = Array.from({ length: size }, (_, i) => `$s${i}: ID!`).join(', ');
    const fields = Array.from({ length: size }, (_, i) => `l${i}: lockSeat(eventId: "bench", seatId: $s${i}) { __typename }`).join(' ');
    text = `mutation(${variables}) { ${fields} }`;
    documents.set(size, text);
  }
  return text;
}

/** Locks each of `seatIds` (at most LOCKS_PER_REQUEST) into a hold of its own, in one request. */
export function lockEach(origin: string, seatIds: readonly string[]): Promise<unknown> {
  return postJson(origin, '/graphql', { query: document(seatIds.length), variables: Object.fromEntries(seatIds.map((id, index) => [`s${index}`, id])) });
}
