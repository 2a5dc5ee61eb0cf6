import { describe, expect, it } from 'vitest';
import type { EventDefinition } from '../../src/domain/model.js';
import { layoutDifference } from '../../src/venue/layout-compare.js';
import { LayoutError, parseEventLayouts } from '../../src/venue/layout.js';
import { festivalDocument } from '../support/events.js';

const parse = (sections: unknown[]): EventDefinition => parseEventLayouts({ events: [{ id: 'gig', name: 'Gig', sections }] })[0] as EventDefinition;
const fails = (sections: unknown[]) => () => parse(sections);

describe('general admission areas in a layout', () => {
  it('reads an area section in its place among the rows, as wide as the widest row', () => {
    const festival = parseEventLayouts({ events: [festivalDocument] })[0] as EventDefinition;
    expect(festival.areas).toEqual([
      { id: 'floor', name: 'Standing floor', capacity: 100, categoryKey: 'standing', x: 0, y: 0, width: 4, height: 3 },
      { id: 'lawn', name: 'Lawn', capacity: 10, x: 0, y: 7, width: 4, height: 3 },
    ]);
    // The balcony row sits between them: below the floor and a section gap.
    expect(festival.seats.map((seat) => seat.y)).toEqual([4.5, 4.5, 4.5, 4.5]);
    const standingOnly = parse([{ id: 'pit', name: 'Pit', generalAdmission: { capacity: 500 } }]);
    expect(standingOnly.seats).toEqual([]);
    expect(standingOnly.areas?.[0]).toMatchObject({ width: 12, height: 3 });
  });

  it('refuses a bad area naming the entry', () => {
    const area = { id: 'pit', name: 'Pit', generalAdmission: { capacity: 10 } };
    expect(fails([{ ...area, generalAdmission: { capacity: 0 } }])).toThrow(
      /events\[0\]\.sections\[0\]\.generalAdmission\.capacity must be a whole number from 1 to 1000000/,
    );
    expect(fails([{ ...area, generalAdmission: { capacity: 1.5 } }])).toThrow(LayoutError);
    expect(fails([{ ...area, generalAdmission: {} }])).toThrow(/capacity/);
    expect(fails([{ ...area, generalAdmission: { capacity: 5, seats: 3 } }])).toThrow(/unknown key "seats"/);
    expect(fails([{ ...area, id: 'Pit' }])).toThrow(/sections\[0\]\.id "Pit" must be a slug/);
    expect(fails([{ ...area, rows: [{ row: 'A', seats: 2 }] }])).toThrow(/unknown key "rows"/);
    expect(fails([{ ...area, category: 'vip' }])).toThrow(/category/);
    expect(fails([{ ...area, name: '' }])).toThrow(/sections\[0\]\.name/);
    expect(fails([area, { ...area, name: 'Other pit' }])).toThrow(/sections\[1\]\.id "pit" is used twice/);
    expect(fails(Array.from({ length: 101 }, (_, index) => ({ ...area, id: `pit-${index}` })))).toThrow(/at most 100/);
  });

  it('keeps an event to its areas: ids and capacities are the layout, names and places are not', () => {
    const stored = parse([
      { id: 'pit', name: 'Pit', generalAdmission: { capacity: 10 } },
      { name: 'S', rows: [{ row: 'A', seats: 2 }] },
    ]);
    const renamed = parse([
      { id: 'pit', name: 'The pit', generalAdmission: { capacity: 10 } },
      { name: 'S', rows: [{ row: 'A', seats: 2 }] },
    ]);
    expect(layoutDifference(stored, renamed)).toBeNull();
    const bigger = parse([
      { id: 'pit', name: 'Pit', generalAdmission: { capacity: 12 } },
      { name: 'S', rows: [{ row: 'A', seats: 2 }] },
    ]);
    expect(layoutDifference(stored, bigger)).toBe('area 1 has capacity 10, the new layout 12');
    const without = parse([{ name: 'S', rows: [{ row: 'A', seats: 2 }] }]);
    expect(layoutDifference(stored, without)).toBe('it has 1 areas, the new layout 0');
  });
});
