import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDefinition, SeatDefinition } from '../../src/domain/model.js';
import { chooseBestSeats, seatingPlan } from '../../src/store/best-available.js';
import { parseEventLayouts } from '../../src/venue/layout.js';

/**
 * A venue drawn as text, one row a line, front row first: `A: ..xx.|..` is row A with seats
 * A1…A7, `.` free, `x` taken, `|` an aisle (a gap in the numbering). `Circle/B: ...` puts the
 * row in section Circle (Stalls otherwise); `B@2: ...` gives the row rank 2.
 */
function venue(drawing: string): { definition: EventDefinition; taken: Set<string> } {
  const seats: SeatDefinition[] = [];
  const taken = new Set<string>();
  for (const line of drawing.trim().split('\n')) {
    const [head, marks] = line.trim().split(': ') as [string, string];
    const [where, rankText] = head.split('@') as [string, string | undefined];
    const [section, row] = where.includes('/') ? (where.split('/') as [string, string]) : ['Stalls', where];
    let number = 1;
    for (const mark of marks) {
      if (mark === '|') {
        number++;
        continue;
      }
      const seat: SeatDefinition = { id: `${section}-${row}${number}`, label: `${row}${number}`, section, row, number };
      seats.push(rankText === undefined ? seat : { ...seat, rank: Number(rankText) });
      if (mark === 'x') taken.add(seat.id);
      number++;
    }
  }
  return { definition: { id: 'test', name: 'Test', seats }, taken };
}

function best(drawing: string, count: number, section: string | null = null) {
  const { definition, taken } = venue(drawing);
  const plan = seatingPlan(definition);
  const result = chooseBestSeats(plan, (index) => !taken.has(plan.seatIds[index] as string), count, section);
  return result && { seats: result.seatIds.map((id) => id.replace(/^\w+-/, '')).join(' '), together: result.together };
}

describe('best available on hand-drawn rows', () => {
  it('takes the front row, centred', () => {
    expect(best('A: ........\nB: ........', 2)).toEqual({ seats: 'A4 A5', together: true });
    expect(best('A: .......\nB: .......', 3)).toEqual({ seats: 'A3 A4 A5', together: true });
    // An odd gap to the centre: the left one of two equally central windows.
    expect(best('A: .......', 2)).toEqual({ seats: 'A3 A4', together: true });
  });

  it('goes back a row rather than split a party', () => {
    expect(best('A: xxx..xxx\nB: ........', 3)).toEqual({ seats: 'B3 B4 B5', together: true });
  });

  it('leaves no single seat stranded at a row end or between taken seats, if it can help it', () => {
    // Taking A1-A2 or A4-A5 would strand one seat; the row behind is clean.
    expect(best('A: x....x\nB: xxx...x', 2)).toEqual({ seats: 'A2 A3', together: true });
    expect(best('A: x...x\nB: .......', 2)).toEqual({ seats: 'B3 B4', together: true });
    // Four free at the end of a row: not the middle two, which would strand A5 and A8.
    expect(best('A: xxxx....', 2)).toEqual({ seats: 'A5 A6', together: true });
    expect(best('A: xxxx....', 3)).toEqual({ seats: 'A5 A6 A7', together: true });
    // Only orphaning choices anywhere: take one anyway, the best row, centred.
    expect(best('A: x...x\nB: xx...', 2)).toEqual({ seats: 'A2 A3', together: true });
  });

  it('treats an aisle as a row end: no party across it, no orphan beside it', () => {
    expect(best('A: ...|...', 4)).toEqual({ seats: 'A2 A3 A5 A6', together: false });
    expect(best('A: x..|.x.', 2)).toEqual({ seats: 'A2 A3', together: true });
    // Beside the aisle, one free seat left is an orphan too.
    expect(best('A: ...|xxx\nB: ....', 2)).toEqual({ seats: 'B1 B2', together: true });
  });

  it('follows ranks before the layout order, and keeps to a section when asked', () => {
    expect(best('A@3: ......\nB@1: ......\nC: ......', 2)).toEqual({ seats: 'B3 B4', together: true });
    expect(best('A: ......\nCircle/A: ......', 2, 'Circle')).toEqual({ seats: 'A3 A4', together: true });
    expect(best('A: ......\nCircle/A: xxxxxx', 2, 'Circle')).toBeNull();
  });

  it('answers as docs/api.md pictures say', () => {
    expect(best('A: x....x', 2)).toEqual({ seats: 'A2 A3', together: true });
    expect(best('A: xxxx....', 2)).toEqual({ seats: 'A5 A6', together: true });
    expect(best('A: ...|...', 4)).toEqual({ seats: 'A2 A3 A5 A6', together: false });
    expect(best('A: x.xxxx\nB: ......', 2)).toEqual({ seats: 'B3 B4', together: true });
  });

  it('sells a full house to the last seats, apart when it must', () => {
    expect(best('A: x.x.x.x\nB: xxxxxxx', 2)).toEqual({ seats: 'A2 A4', together: false });
    expect(best('A: x.xxxxx\nB: xxxxx.x', 2)).toEqual({ seats: 'A2 B6', together: false });
    expect(best('A: x.xxxxx\nB: xxxxxxx', 2)).toBeNull();
    expect(best('A: x.xxxxx\nB: xxxxxxx', 1)).toEqual({ seats: 'A2', together: true });
  });
});

describe('ranks in the layout', () => {
  const layout = (section: Record<string, unknown>, row: Record<string, unknown>) =>
    parseEventLayouts({
      events: [
        {
          id: 'x',
          name: 'X',
          sections: [
            {
              name: 'S',
              ...section,
              rows: [
                { row: 'A', seats: 1, ...row },
                { row: 'B', seats: 1 },
              ],
            },
          ],
        },
      ],
    });

  it('gives a row its own rank or its section’s, and none when neither has one', () => {
    expect(layout({ rank: 3 }, { rank: 1 })[0]?.seats.map((seat) => seat.rank)).toEqual([1, 3]);
    expect(layout({}, {})[0]?.seats.map((seat) => seat.rank)).toEqual([undefined, undefined]);
  });

  it('refuses a rank that is not a whole number from 1 to 1,000, naming the entry', () => {
    expect(() => layout({ rank: 0 }, {})).toThrow('events[0].sections[0].rank must be a whole number from 1 to 1000 (got 0)');
    expect(() => layout({}, { rank: 'front' })).toThrow('events[0].sections[0].rows[0].rank must be a whole number from 1 to 1000 (got "front")');
  });
});

describe('best available, for any row', () => {
  it('never strands a seat when a choice of the same size in that row would not', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('.', 'x', '|'), { minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 6 }), (marks, count) => {
        const drawing = `A: ${marks.join('').replace(/\|{2,}/g, '|')}`;
        const { definition, taken } = venue(drawing);
        if (definition.seats.length === 0) return;
        const plan = seatingPlan(definition);
        const free = (id: string) => !taken.has(id);
        const result = chooseBestSeats(plan, (index) => free(plan.seatIds[index] as string), count, null);
        const freeCount = definition.seats.filter((seat) => free(seat.id)).length;
        if (freeCount < count) return void expect(result).toBeNull();
        expect(result?.seatIds).toHaveLength(count);
        for (const id of result?.seatIds ?? []) expect(free(id)).toBe(true);
        if (!result?.together) return;

        // Every window of `count` free seats in one block, and whether it strands a seat.
        const seats = definition.seats;
        const freeAt = (i: number) => i >= 0 && i < seats.length && free((seats[i] as SeatDefinition).id);
        // Whether seat i sits right after seat i - 1 (same block: no aisle between them).
        const follows = (i: number) => i > 0 && i < seats.length && seats[i]?.number === (seats[i - 1]?.number ?? -2) + 1;
        const strands = (start: number) => {
          const left = start - 1;
          const right = start + count;
          const leftAlone = freeAt(left) && follows(start) && !(follows(left) && freeAt(left - 1));
          const rightAlone = freeAt(right) && follows(right) && !(follows(right + 1) && freeAt(right + 1));
          return leftAlone || rightAlone;
        };
        const windows: number[] = [];
        for (let start = 0; start + count <= seats.length; start++) {
          let fits = true;
          for (let i = start; i < start + count; i++) if (!freeAt(i) || (i > start && !follows(i))) fits = false;
          if (fits) windows.push(start);
        }
        const chosen = seats.findIndex((seat) => seat.id === result.seatIds[0]);
        expect(windows).toContain(chosen);
        if (strands(chosen)) expect(windows.every((start) => strands(start))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
