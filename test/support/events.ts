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
