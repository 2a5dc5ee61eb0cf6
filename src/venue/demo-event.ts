import type { EventDefinition } from '../domain/model.js';
import { parseEventLayouts } from './layout.js';

// Stalls widen towards the back; two aisles split every row into a centre block and two sides.
const STALLS = [
  ['A', 14],
  ['B', 16],
  ['C', 16],
  ['D', 18],
  ['E', 18],
  ['F', 20],
  ['G', 20],
  ['H', 20],
  ['J', 20],
  ['K', 20],
] as const;
const BALCONY = [
  ['L', 18],
  ['M', 18],
  ['N', 16],
  ['P', 14],
] as const;

/** Aisles a quarter of the way in from each side. */
function aisles(seats: number): number[] {
  const side = Math.floor(seats / 4);
  return [side, seats - side];
}

/**
 * The event served without `EVENTS_FILE`: a theatre of 248 seats facing a stage. Three price
 * bands (the best stalls, the rest of the stalls, the balcony), aisles, a balcony set back, and
 * wheelchair spaces with companion seats at the ends of the back stalls row.
 */
export function demoEvent(): EventDefinition {
  const [event] = parseEventLayouts({
    events: [
      {
        id: 'demo',
        name: 'The Tempest — seatlock demo night',
        stage: 'Stage',
        categories: [
          { key: 'premium', label: 'Premium', color: '#8e24aa', price: { amount: '65.00', currencyCode: 'EUR' } },
          { key: 'standard', label: 'Standard', color: '#1e88e5', price: { amount: '45.00', currencyCode: 'EUR' } },
          { key: 'balcony', label: 'Balcony', color: '#00897b', price: { amount: '28.00', currencyCode: 'EUR' } },
        ],
        sections: [
          {
            name: 'Stalls',
            category: 'standard',
            rank: 1,
            rows: STALLS.map(([row, seats], index) => {
              const [left, right] = aisles(seats) as [number, number];
              const centre = Array.from({ length: right - left }, (_, offset) => left + 1 + offset);
              return {
                row,
                seats,
                aisleAfter: [left, right],
                // The centre blocks of rows C to G: the best seats in the house.
                ...(index >= 2 && index <= 6 ? { seatCategories: { premium: centre } } : {}),
                ...(row === 'K' ? { accessible: [1, seats], companion: [2, seats - 1] } : {}),
              };
            }),
          },
          {
            name: 'Balcony',
            category: 'balcony',
            rank: 2,
            rows: BALCONY.map(([row, seats]) => ({ row, seats, aisleAfter: aisles(seats), ...(row === 'P' ? { restrictedView: [1, seats] } : {}) })),
          },
        ],
      },
    ],
  });
  return event as EventDefinition;
}
