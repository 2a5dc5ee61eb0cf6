import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue, type Deadlined } from '../../src/store/embedded/deadline-queue.js';

interface Entry extends Deadlined {
  readonly id: number;
}

type Step = { op: 'schedule'; id: number; deadline: number } | { op: 'remove'; id: number } | { op: 'popDue'; now: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('schedule' as const), id: fc.integer({ min: 0, max: 15 }), deadline: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ op: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ op: fc.constant('popDue' as const), now: fc.integer({ min: 0, max: 100 }) }),
);

describe('DeadlineQueue', () => {
  it('pops due entries earliest first, honouring moves and removals', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const queue = new DeadlineQueue<Entry>();
        const entries = Array.from({ length: 16 }, (_, id): Entry => ({ id, deadline: 0, queueIndex: -1 }));
        const expected = new Map<number, number>();
        for (const s of steps) {
          if (s.op === 'schedule') {
            queue.schedule(entries[s.id]!, s.deadline);
            expected.set(s.id, s.deadline);
          } else if (s.op === 'remove') {
            queue.remove(entries[s.id]!);
            expected.delete(s.id);
          } else {
            const popped: number[] = [];
            for (let entry = queue.popDue(s.now); entry; entry = queue.popDue(s.now)) popped.push(entry.deadline);
            const due = [...expected].filter(([, deadline]) => deadline <= s.now);
            expect(popped).toEqual(due.map(([, deadline]) => deadline).sort((a, b) => a - b));
            for (const [id] of due) expected.delete(id);
          }
          expect(queue.size).toBe(expected.size);
          expect(queue.peek()?.deadline).toBe(expected.size ? Math.min(...expected.values()) : undefined);
        }
      }),
      { numRuns: 500 },
    );
  });
});
