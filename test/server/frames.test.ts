import { MessageType, parseMessage } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { graphqlWsNext, SSE_COMPLETE, SSE_PING, sseNext } from '../../src/server/subscriptions/frames.js';

/** A result as the multiplexer serializes it once, with the characters that break naive framing. */
const result = { data: { seatChanged: { seat: { label: 'A"1\\ \n\r</script>\u2028\u2029 é 🎭' }, version: 7 } } };
const payload = JSON.stringify(result);

/** Server-sent events as the WHATWG spec parses a stream: events end at a blank line, fields are `name: value`. */
function parseEventStream(text: string): { event?: string; id?: string; data: string[]; comments: number }[] {
  return text
    .split(/\r\n\r\n|\n\n|\r\r/)
    .filter((block) => block !== '')
    .map((block) => {
      const parsed: { event?: string; id?: string; data: string[]; comments: number } = { data: [], comments: 0 };
      for (const line of block.split(/\r\n|\n|\r/)) {
        if (line.startsWith(':')) {
          parsed.comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') parsed.data.push(value);
        else if (field === 'event' || field === 'id') parsed[field] = value;
        else throw new Error(`unknown field ${field}`);
      }
      return parsed;
    });
}

describe('the frames subscribers are sent', () => {
  it('are graphql-transport-ws next messages that graphql-ws itself reads back whole', () => {
    for (const operationId of ['1', 'op "quoted" \\ \u2028', '🎟']) {
      const message = parseMessage(graphqlWsNext(operationId, payload).toString('utf8'));
      expect(message).toEqual({ id: operationId, type: MessageType.Next, payload: result });
    }
  });

  it('are server-sent events, one per result, with the version as the event id, and whole data', () => {
    const stream = Buffer.concat([SSE_PING, sseNext(payload, 7), sseNext(payload, null), SSE_COMPLETE]).toString('utf8');
    expect(parseEventStream(stream)).toEqual([
      { data: [], comments: 1 },
      { event: 'next', id: '7', data: [payload], comments: 0 },
      { event: 'next', data: [payload], comments: 0 },
      { event: 'complete', data: [''], comments: 0 },
    ]);
    const [, withId] = parseEventStream(stream);
    expect(JSON.parse(withId?.data.join('\n') ?? '')).toEqual(result);
  });
});
