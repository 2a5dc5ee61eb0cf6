import type { EventDefinition } from '../../src/domain/model.js';
import { parseEventLayouts } from '../../src/venue/layout.js';

/** The EVENTS_FILE document of the test events: `play` (rows A–C of 5 seats) and `concert` (3 seats). */
export const testEventsDocument = {
  events: [
    {
      id: 'play',
      name: 'A Play',
      sections: [
        {
          name: 'Stalls',
          rows: [
            { row: 'A', seats: 5 },
            { row: 'B', seats: 5 },
            { row: 'C', seats: 5 },
          ],
        },
      ],
    },
    { id: 'concert', name: 'A Concert', sections: [{ name: 'Floor', rows: [{ row: 'A', seats: 3 }] }] },
  ],
};

export function testEvents(): EventDefinition[] {
  return parseEventLayouts(testEventsDocument);
}

/**
 * An event with general admission areas beside its seats: `festival` has a standing `floor` of
 * 100 places (category standing, 30.00), a balcony row A of 4 seats (seated, 55.00) and a `lawn`
 * of 10 places without a category.
 */
export const festivalDocument = {
  id: 'festival',
  name: 'A Festival',
  categories: [
    { key: 'standing', label: 'Standing', color: '#2e7d32', price: { amount: '30.00', currencyCode: 'EUR' } },
    { key: 'seated', label: 'Seated', color: '#1565c0', price: { amount: '55.00', currencyCode: 'EUR' } },
  ],
  sections: [
    { id: 'floor', name: 'Standing floor', generalAdmission: { capacity: 100 }, category: 'standing' },
    { name: 'Balcony', category: 'seated', rows: [{ row: 'A', seats: 4 }] },
    { id: 'lawn', name: 'Lawn', generalAdmission: { capacity: 10 } },
  ],
};

/** The test events and `festival`. */
export function festivalEvents(): EventDefinition[] {
  return parseEventLayouts({ events: [...testEventsDocument.events, festivalDocument] });
}
