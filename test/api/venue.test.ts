import { describe, expect, it } from 'vitest';
import { CreateEventDocument, EventSeatsDocument, LockBestAvailableDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { docBlocks } from '../../scripts/doc-blocks.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { inProcessApp } from '../support/apps.js';
import { expectType } from '../support/narrow.js';
import { storeKinds } from '../support/stores.js';

const ADMIN_TOKEN = 'venue-admin-token-0123456789abcdefghij';

/** Two price bands; row A has a wheelchair space with a companion seat at each end. */
const theatre = parseEventLayouts({
  events: [
    {
      id: 'theatre',
      name: 'Theatre',
      stage: 'Stage',
      categories: [
        { key: 'premium', label: 'Premium', color: '#6a1b9a', price: { amount: '60', currencyCode: 'GBP' } },
        { key: 'standard', label: 'Standard', color: '#00838f', price: { amount: '35.50', currencyCode: 'GBP' } },
        { key: 'guest', label: 'Guest list', color: '#9e9e9e' },
      ],
      sections: [
        {
          name: 'Stalls',
          category: 'standard',
          rows: [
            { row: 'A', seats: 8, category: 'premium', accessible: [1, 8], companion: [2, 7], aisleAfter: [4] },
            { row: 'B', seats: 8, seatCategories: { guest: [8] } },
          ],
        },
      ],
    },
  ],
});

describe.each(storeKinds)('the venue in the API ($name store)', ({ config }) => {
  it('serves categories, prices, seat flags and places, and sums a hold’s prices', async () => {
    const { client } = inProcessApp(config(), { events: theatre });
    const { event } = await client.data(EventSeatsDocument, { id: 'theatre' });
    expect(event?.stage).toBe('Stage');
    expect(event?.categories.map((category) => [category.key, category.price?.amount ?? null])).toEqual([
      ['premium', '60.00'],
      ['standard', '35.50'],
      ['guest', null],
    ]);
    const a1 = event?.seats.find((seat) => seat.id === 'A-1');
    expect(a1).toMatchObject({ accessible: true, companion: false, restrictedView: false, x: 0, y: 0, category: { key: 'premium' } });
    expect(event?.seats.find((seat) => seat.id === 'A-5')?.x).toBe(5);

    const hold = expectType((await client.data(LockSeatsDocument, { eventId: 'theatre', seatIds: ['A-3', 'B-2', 'B-3'] })).lockSeats, 'Hold');
    expect(hold.total).toEqual({ amount: '131.00', currencyCode: 'GBP' });
    const guest = expectType((await client.data(LockSeatsDocument, { eventId: 'theatre', seatIds: ['B-7', 'B-8'] })).lockSeats, 'Hold');
    expect(guest.total).toBeNull();
  });

  it('chooses best available within categories, with the wheelchair spaces asked for, never across the aisle', async () => {
    const { client } = inProcessApp(config(), { events: theatre });
    const best = async (variables: { count: number; categories?: string[]; accessible?: number }) =>
      (await client.data(LockBestAvailableDocument, { eventId: 'theatre', ...variables })).lockBestAvailable;
    const standard = expectType(await best({ count: 2, categories: ['standard'] }), 'Hold');
    expect(standard.seats.map((seat) => seat.id)).toEqual(['B-4', 'B-5']);
    // A wheelchair space and its companion: A-1 and A-2 (the aisle after A-4 ends the block).
    const wheelchair = expectType(await best({ count: 2, accessible: 1 }), 'Hold');
    expect(wheelchair.seats.map((seat) => seat.id)).toEqual(['A-1', 'A-2']);
    expect(wheelchair.nextToEachOther).toBe(true);
    // Four premium together: the block after the aisle, not across it.
    const four = expectType(await best({ count: 4, categories: ['premium'] }), 'Hold');
    expect(four.seats.map((seat) => seat.id)).toEqual(['A-5', 'A-6', 'A-7', 'A-8']);
    expect(four.total).toEqual({ amount: '240.00', currencyCode: 'GBP' });
    const refused = await best({ count: 2, categories: ['premium'], accessible: 1 });
    expect(refused).toMatchObject({ __typename: 'NotEnoughSeatsError', requested: 2 });
    expect((await best({ count: 1, categories: ['balcony'] })).__typename).toBe('InvalidSeatSelectionError');
    // No more categories than the event has: a long list can only repeat or name unknown ones.
    expect(await best({ count: 1, categories: Array.from({ length: 50_000 }, () => 'premium') })).toMatchObject({
      __typename: 'InvalidSeatSelectionError',
      message: 'categories names 50000 categories; event "theatre" has 3.',
    });
    expect((await best({ count: 1, accessible: 2 })).__typename).toBe('InvalidSeatSelectionError');
  });

  it('makes an event with the same keys through createEvent', async () => {
    const { client } = inProcessApp({ ...config(), adminToken: ADMIN_TOKEN });
    const input = {
      id: 'gig',
      name: 'Gig',
      stage: 'Stage',
      categories: [{ key: 'floor', label: 'Floor', color: '#ef6c00', price: { amount: '20', currencyCode: 'EUR' } }],
      sections: [
        {
          name: 'Floor',
          category: 'floor',
          rows: [{ row: 'A', seats: 4, accessible: [4], aisleAfter: [2], seatCategories: { floor: [1] } }],
        },
      ],
    };
    const created = expectType(
      (await client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` }).data(CreateEventDocument, { input })).createEvent,
      'Event',
    );
    expect(created.categories).toEqual([{ key: 'floor', label: 'Floor', color: '#ef6c00', price: { amount: '20.00', currencyCode: 'EUR' } }]);
    const { event } = await client.data(EventSeatsDocument, { id: 'gig' });
    expect(event?.seats.map((seat) => [seat.id, seat.x, seat.accessible, seat.category?.key])).toEqual([
      ['A-1', 0, false, 'floor'],
      ['A-2', 1, false, 'floor'],
      ['A-3', 3, false, 'floor'],
      ['A-4', 4, true, 'floor'],
    ]);
    const bad = { ...input, id: 'bad', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 4, category: 'vip' }] }] };
    const refused = (await client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` }).data(CreateEventDocument, { input: bad })).createEvent;
    expect(expectType(refused, 'InvalidLayoutError').message).toBe('input.sections[0].rows[0].category "vip" is not one of the event\'s categories (floor)');
  });

  it("creates the events of the docs' EVENTS_FILE example, exactly as the file makes them", async () => {
    const example = docBlocks().find((block) => block.file === 'docs/api.md' && block.language === 'json' && block.text.includes('"events"'));
    if (example === undefined) throw new Error('docs/api.md has no EVENTS_FILE example');
    const document = JSON.parse(example.text) as { events: unknown[] };
    const { client } = inProcessApp({ ...config(), adminToken: ADMIN_TOKEN });
    const admin = client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    for (const [index, input] of document.events.entries()) {
      const created = expectType((await admin.data(CreateEventDocument, { input: input as Record<string, unknown> })).createEvent, 'Event');
      const fromFile = parseEventLayouts(document)[index];
      const { event } = await client.data(EventSeatsDocument, { id: created.id });
      expect(event?.seats.map((seat) => [seat.id, seat.category?.key, seat.x, seat.y])).toEqual(
        fromFile?.seats.map((seat) => [seat.id, seat.categoryKey, seat.x, seat.y]),
      );
    }
  });

  it.each([
    [{ seats: '12' }, 'input.sections[0].rows[0].seats must be a whole number from 1 to 10000 (got "12")'],
    [{ seats: 4, seatCategories: { vip: [1] } }, 'input.sections[0].rows[0].seatCategories has an unknown key "vip"'],
    [{ seats: 4, accessible: 'all' }, 'input.sections[0].rows[0].accessible must be'],
    [{ seats: 4, shape: 'curve' }, 'input.sections[0].rows[0] has an unknown key "shape"'],
  ])('answers a layout mistake %j with InvalidLayoutError naming the entry, as the file does, and makes nothing', async (row, message) => {
    const { client } = inProcessApp({ ...config(), adminToken: ADMIN_TOKEN });
    const admin = client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const input = {
      id: 'typo',
      name: 'Typo',
      categories: [{ key: 'floor', label: 'Floor', color: '#ef6c00' }],
      sections: [{ name: 'Floor', rows: [{ row: 'A', ...row }] }],
    };
    const refused = expectType((await admin.data(CreateEventDocument, { input })).createEvent, 'InvalidLayoutError');
    expect(refused.message).toContain(message);
    expect((await client.data(EventSeatsDocument, { id: 'typo' })).event).toBeNull();
  });
});
