import type { EventDefinition } from '../domain/model.js';
import { parseEventLayouts } from './layout.js';

const STALLS_ROW_LENGTHS = [14, 16, 16, 18, 18, 20, 20, 20, 20, 20];
const BALCONY_ROW_LENGTHS = [18, 18, 16, 14];

/** The event served without `EVENTS_FILE`: a theatre of 248 seats, stalls and balcony. */
export function demoEvent(): EventDefinition {
  const [event] = parseEventLayouts({
    events: [
      {
        id: 'demo',
        name: 'The Tempest — seatlock demo night',
        sections: [
          { name: 'Stalls', rows: rows('ABCDEFGHJK', STALLS_ROW_LENGTHS) },
          { name: 'Balcony', rows: rows('LMNP', BALCONY_ROW_LENGTHS) },
        ],
      },
    ],
  });
  return event as EventDefinition;
}

function rows(names: string, lengths: readonly number[]): { row: string; seats: number }[] {
  return [...names].map((row, index) => ({ row, seats: lengths[index] ?? 0 }));
}
