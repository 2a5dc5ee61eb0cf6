import { describe, expect, inject, it } from 'vitest';
import {
  ConfigureWaitingRoomDocument,
  JoinQueueDocument,
  LockSeatDocument,
  QueueTicketDocument,
  type QueueTicketFieldsFragment,
} from '../../operations/generated/graphql.js';
import { testEventsDocument } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { redisAvailable } from '../support/prerequisites.js';
import { spawnServer, tempDataFile, tempJsonFile, type ServerProcess } from '../support/processes.js';
import { uniqueKeyPrefix } from '../support/stores.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghij';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const env = { ADMIN_TOKEN, CLIENT_IDENTITY: 'header:x-client-id', EVENTS_FILE: tempJsonFile(testEventsDocument), LOCKS_PER_MINUTE: '0' };

async function join(server: ServerProcess, client: string): Promise<QueueTicketFieldsFragment> {
  return expectType((await server.client.withHeaders({ 'x-client-id': client }).data(JoinQueueDocument, { eventId: 'play' })).joinQueue, 'QueueTicket');
}

async function read(server: ServerProcess, id: string): Promise<QueueTicketFieldsFragment | null> {
  return (await server.client.data(QueueTicketDocument, { id })).queueTicket ?? null;
}

async function configure(server: ServerProcess, input: { enabled: boolean; admitPerMinute: number; opensAt?: string }) {
  return expectType(
    (await server.client.withHeaders(admin).data(ConfigureWaitingRoomDocument, { eventId: 'play', input })).configureWaitingRoom,
    'WaitingRoom',
  );
}

describe('waiting room tickets in real processes', () => {
  it('keeps every ticket across kill -9, before and after the shuffle at opensAt', async () => {
    const processEnv = { ...env, DATA_FILE: tempDataFile() };
    let server = await spawnServer(processEnv);
    // The room opens in an hour: every arrival is an early one until an admin opens it now.
    await configure(server, { enabled: true, admitPerMinute: 1, opensAt: new Date(Date.now() + 3_600_000).toISOString() });
    const clients = Array.from({ length: 20 }, (_, index) => `buyer-${index}`);
    const tickets = await Promise.all(clients.map((client) => join(server, client)));
    expect(tickets.every((ticket) => ticket.number === null)).toBe(true);
    await server.kill('SIGKILL');

    server = await spawnServer(processEnv);
    expect((await join(server, 'buyer-7')).id).toBe(tickets[7]?.id);
    expect(await read(server, tickets[3]?.id as string)).toMatchObject({ status: 'WAITING', number: null });
    await server.client.withHeaders(admin).data(ConfigureWaitingRoomDocument, { eventId: 'play', input: { enabled: true, admitPerMinute: 1, opensAt: null } });
    const numbered = await Promise.all(tickets.map((ticket) => read(server, ticket.id)));
    const numbers = numbered.map((ticket) => ticket?.number as number);
    expect([...numbers].sort((a, b) => a - b)).toEqual(clients.map((_, index) => index + 1));
    expect(numbered.filter((ticket) => ticket?.status === 'ADMITTED').map((ticket) => ticket?.number)).toEqual([1]);
    const late = await join(server, 'late');
    expect(late.number).toBe(21);
    await server.kill('SIGKILL');

    server = await spawnServer(processEnv);
    const again = await Promise.all([...tickets, late].map((ticket) => read(server, ticket.id)));
    expect(again.map((ticket) => ticket?.number)).toEqual([...numbers, 21]);
    expect(again.map((ticket) => ticket?.status)).toEqual(numbered.map((ticket) => ticket?.status).concat('WAITING'));
    expect((await join(server, 'late')).id).toBe(late.id);
    await server.kill('SIGTERM');
  }, 60_000);

  it.runIf(redisAvailable)(
    'shares one line across two instances on Redis: unique numbers, admission good on either',
    async () => {
      const shared = { ...env, REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: uniqueKeyPrefix() };
      const [first, second] = (await Promise.all([spawnServer(shared), spawnServer(shared)])) as [ServerProcess, ServerProcess];
      await configure(first, { enabled: true, admitPerMinute: 1 });
      const clients = Array.from({ length: 40 }, (_, index) => `buyer-${index}`);
      const tickets = await Promise.all(clients.map((client, index) => join(index % 2 === 0 ? first : second, client)));
      expect(tickets.map((ticket) => ticket.number).sort((a, b) => (a as number) - (b as number))).toEqual(clients.map((_, index) => index + 1));
      // A client joining again on the other instance gets its ticket, not a second one.
      expect((await join(second, 'buyer-0')).id).toBe(tickets[0]?.id);

      const admitted = tickets.find((ticket) => ticket.status === 'ADMITTED') as QueueTicketFieldsFragment;
      const waiting = tickets.find((ticket) => ticket.status === 'WAITING') as QueueTicketFieldsFragment;
      expect(await read(second, admitted.id)).toMatchObject({ status: 'ADMITTED', number: 1 });
      for (const server of [first, second]) {
        const refused = await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' });
        expect(refused.lockSeat.__typename).toBe('AdmissionRequiredError');
      }
      const held = await second.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1', admissionToken: admitted.admissionToken });
      expect(held.lockSeat.__typename).toBe('Hold');
      expect(await read(first, waiting.id)).toMatchObject({ status: 'WAITING', position: (waiting.number as number) - 1 });
    },
    60_000,
  );
});
