import { describe, expect, it } from 'vitest';
import type { SeatDefinition } from '../../src/domain/model.js';
import { parseEventLayouts } from '../../src/venue/layout.js';

const categories = [
  { key: 'A', label: 'Stalls front', color: '#C62828', price: { amount: '45', currencyCode: 'EUR' } },
  { key: 'B', label: 'Stalls back', color: '#1565c0', price: { amount: '30.5', currencyCode: 'EUR' } },
  { key: 'FREE', label: 'Complimentary', color: '#2e7d32' },
];

function event(overrides: Record<string, unknown> = {}, row: Record<string, unknown> = {}, section: Record<string, unknown> = {}) {
  return {
    events: [
      {
        id: 'venue',
        name: 'Venue',
        categories,
        ...overrides,
        sections: [
          {
            name: 'Stalls',
            category: 'B',
            ...section,
            rows: [
              { row: 'A', seats: 6, ...row },
              { row: 'B', seats: 4 },
            ],
          },
        ],
      },
    ],
  };
}

const parse = (document: unknown) => parseEventLayouts(document)[0]!;
const seat = (seats: readonly SeatDefinition[], id: string) => seats.find((candidate) => candidate.id === id);

describe('the venue layout keys', () => {
  it('reads categories, once spelled, and assigns them by section, row and seat', () => {
    const venue = parse(event({}, { category: 'A', seatCategories: { FREE: [6] } }));
    expect(venue.categories).toEqual([
      { key: 'A', label: 'Stalls front', color: '#c62828', price: { amount: '45.00', currencyCode: 'EUR' } },
      { key: 'B', label: 'Stalls back', color: '#1565c0', price: { amount: '30.50', currencyCode: 'EUR' } },
      { key: 'FREE', label: 'Complimentary', color: '#2e7d32', price: null },
    ]);
    expect(venue.seats.map((s) => s.categoryKey)).toEqual(['A', 'A', 'A', 'A', 'A', 'FREE', 'B', 'B', 'B', 'B']);
  });

  it('marks wheelchair spaces, companion seats and restricted views', () => {
    const venue = parse(event({}, { accessible: [1], companion: [2], restrictedView: [6] }));
    expect(seat(venue.seats, 'A-1')).toMatchObject({ accessible: true });
    expect(seat(venue.seats, 'A-2')).toMatchObject({ companion: true });
    expect(seat(venue.seats, 'A-6')).toMatchObject({ restrictedView: true });
    expect(seat(venue.seats, 'A-3')).not.toHaveProperty('accessible');
  });

  it('places seats for drawing: rows centred, aisles as gaps, offsets, sections apart, a stage', () => {
    const venue = parse(event({ stage: 'Stage' }, { aisleAfter: [3] }));
    expect(venue.stage).toBe('Stage');
    // Row A: 6 seats and an aisle (7 wide); row B: 4 seats, centred under it.
    expect(venue.seats.filter((s) => s.row === 'A').map((s) => s.x)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(venue.seats.filter((s) => s.row === 'B').map((s) => [s.x, s.y])).toEqual([
      [1.5, 1],
      [2.5, 1],
      [3.5, 1],
      [4.5, 1],
    ]);
    const moved = parse(event({}, { offset: -1 }));
    expect(seat(moved.seats, 'A-1')?.x).toBe(-1);
    const two = parse({
      events: [
        {
          id: 'two',
          name: 'Two',
          sections: [
            { name: 'S', rows: [{ row: 'A', seats: 2 }] },
            { name: 'T', seatIdPrefix: 'T', rows: [{ row: 'A', seats: 2 }] },
          ],
        },
      ],
    });
    expect(two.seats.map((s) => s.y)).toEqual([0, 0, 2.5, 2.5]);
  });

  it('keeps a file without any of them as it was: no categories, no stage', () => {
    const plain = parse({ events: [{ id: 'plain', name: 'Plain', sections: [{ name: 'S', rows: [{ row: 'A', seats: 2 }] }] }] });
    expect(plain).not.toHaveProperty('categories');
    expect(plain).not.toHaveProperty('stage');
    expect(plain.seats[0]).toEqual({ id: 'A-1', label: 'A1', section: 'S', row: 'A', number: 1, x: 0, y: 0 });
  });

  it.each([
    [{ categories: [{ ...categories[0], key: 'a b' }] }, {}, {}, 'events[0].categories[0].key "a b" must be 1 to 32 letters, digits, hyphens or underscores'],
    [{ categories: [categories[0], categories[0]] }, {}, { category: 'A' }, 'events[0].categories[1].key "A" is used twice'],
    [{ categories: [{ ...categories[0], color: 'red' }] }, {}, { category: 'A' }, 'events[0].categories[0].color "red" must be a colour like "#c62828"'],
    [
      { categories: [{ ...categories[0], price: { amount: '4.999', currencyCode: 'EUR' } }] },
      {},
      { category: 'A' },
      'events[0].categories[0].price.amount "4.999" must be a decimal like "45.00" (at most 2 decimals)',
    ],
    [
      { categories: [{ ...categories[0], price: { amount: '4', currencyCode: 'euro' } }] },
      {},
      { category: 'A' },
      'events[0].categories[0].price.currencyCode "euro" must be an ISO 4217 code like "EUR"',
    ],
    [
      { categories: [categories[0], { ...categories[1], price: { amount: '1', currencyCode: 'USD' } }] },
      {},
      {},
      'events[0].categories[1].price.currencyCode "USD" differs from the other categories\' "EUR": one currency per event',
    ],
    [{}, { category: 'C' }, {}, 'events[0].sections[0].rows[0].category "C" is not one of the event\'s categories (A, B, FREE)'],
    [{ categories: undefined }, {}, {}, 'events[0].sections[0].category "B" is not one of the event\'s categories (it has none)'],
    [{}, { seatCategories: { C: [1] } }, {}, 'events[0].sections[0].rows[0].seatCategories has an unknown key "C" (allowed: A, B, FREE)'],
    [{}, { accessible: [7] }, {}, 'events[0].sections[0].rows[0].accessible[0] 7 is not a seat of row A (1 to 6)'],
    [{}, { companion: [2, 2] }, {}, 'events[0].sections[0].rows[0].companion[1] names seat 2 twice'],
    [{}, { aisleAfter: [6] }, {}, "events[0].sections[0].rows[0].aisleAfter names the row's last seat 6: an aisle runs between two seats"],
    [{}, { offset: 'left' }, {}, 'events[0].sections[0].rows[0].offset must be a number from -1000 to 1000 (got "left")'],
    [{ stage: '' }, {}, {}, 'events[0].stage must be a non-empty string'],
  ])('refuses a bad entry, naming it (%#)', (overrides, row, section, message) => {
    expect(() => parse(event(overrides, row, section))).toThrow(message);
  });
});
