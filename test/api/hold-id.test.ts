import { describe, expect, it } from 'vitest';
import { HoldByTokenDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { inProcessApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds)('Hold.id ($name store)', ({ config }) => {
  it('names a hold publicly: the same on every read, one per hold, and no key to it', async () => {
    const { client } = inProcessApp(config());
    const first = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats, 'Hold');
    const second = expectType((await client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-2'] })).lockSeats, 'Hold');
    expect(first.id).toMatch(/^play\.h[A-Za-z0-9_-]{22}$/);
    expect(second.id).not.toBe(first.id);
    expect((await client.data(HoldByTokenDocument, { token: first.token })).hold?.id).toBe(first.id);
    // The token's secret part is not in the id, and the id opens nothing.
    expect(first.id).not.toContain(first.token.slice(first.token.indexOf('.') + 1, first.token.indexOf('.') + 9));
    expect((await client.data(HoldByTokenDocument, { token: first.id })).hold).toBeNull();
  });
});
