import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidWaitingRoomError } from '../../src/domain/errors.js';
import { createSeatlockPubSub } from '../../src/store/pubsub.js';
import type { RoomSettings } from '../../src/store/queue-schedule.js';
import { fileEvents } from '../../src/store/start-events.js';
import type { HoldPolicy, SeatStore } from '../../src/store/store.js';
import type { QueueTicket, WaitingRoomView } from '../../src/store/waiting-room.js';
import { ManualClock } from '../support/clock.js';
import { testEvents } from '../support/events.js';
import { prepareStoreKind, storeKindsDirect, type StoreKind } from '../support/store-harness.js';

/**
 * The waiting room's rules in their plainest form, and every store held to them: the model
 * serves numbers one by one as time passes and remembers when each was admitted and for how
 * long, where the stores work it out from a few runs (in TypeScript, and in the Redis scripts'
 * copy). After every step, and after every batch of concurrent joins, reads and admin changes
 * (in some order of them), every ticket and the room read as the model says.
 */

const policy: HoldPolicy = { lockTtlMs: 60_000, holdMaxMs: 600_000, maxSeatsPerHold: 10, maxSeatsPerClient: 0 };
const EVENT = 'play';
const CLIENTS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'] as const;
const MINUTE_MS = 60_000;

type Command =
  | { kind: 'join'; client: string }
  | { kind: 'read'; client: string }
  | { kind: 'configure'; settings: ModelSettings }
  | { kind: 'advance'; ms: number }
  | { kind: 'reopen' };

/** Settings with opensAt as an offset from the step's time (undefined: left out; null: now). */
interface ModelSettings extends Omit<RoomSettings, 'opensAt'> {
  readonly opensAtIn?: number | null | undefined;
}

interface Standing {
  /** UNKNOWN: an early arrival whose drawn number the model has not learned from the store yet. */
  readonly status: 'WAITING' | 'ADMITTED' | 'LAPSED' | 'UNKNOWN';
  readonly number: number | null;
  readonly position: number | null;
  readonly estimatedWaitSeconds: number | null;
  readonly admittedUntil: number | null;
}

type Answer =
  | { readonly type: 'ticket'; readonly serial: number; readonly standing: Standing }
  | { readonly type: 'room' }
  | { readonly type: 'error'; readonly name: string };

class RoomModel {
  exists = false;
  enabled = false;
  paused = false;
  opensAt = 0;
  rate = 60;
  admissionMs = 600_000;
  opened = false;
  early = 0;
  joined = 0;
  latest = new Map<string, number>();
  /** Learned from the store: the shuffle is its own draw, checked to be a permutation. */
  earlyNumbers = new Map<number, number>();
  served = 0;
  runFirst = 1;
  runAt: number | null = null;
  resumeDelay = 0;
  /** Number -> when it was admitted and for how long. */
  admitted = new Map<number, { at: number; ms: number }>();

  clone(): RoomModel {
    const copy = Object.assign(new RoomModel(), this);
    copy.latest = new Map(this.latest);
    copy.earlyNumbers = new Map(this.earlyNumbers);
    copy.admitted = new Map(this.admitted);
    return copy;
  }

  get running(): boolean {
    return this.enabled && !this.paused;
  }

  get highest(): number {
    return this.opened ? this.joined : 0;
  }

  private nextAt(): number {
    return (this.runAt as number) + Math.ceil(((this.served + 1 - this.runFirst) * MINUTE_MS) / this.rate);
  }

  advanceTo(now: number): void {
    if (!this.exists) return;
    if (!this.opened && now >= this.opensAt) {
      this.opened = true;
      this.early = this.joined;
      this.runFirst = 1;
      this.runAt = this.running ? this.opensAt : null;
      this.resumeDelay = 0;
    }
    while (this.runAt !== null && this.served < this.highest && this.nextAt() <= now) {
      const at = this.nextAt();
      this.served += 1;
      this.admitted.set(this.served, { at, ms: this.admissionMs });
    }
  }

  numberOf(serial: number): number | null {
    if (!this.opened) return null;
    if (serial > this.early) return serial;
    return this.earlyNumbers.get(serial) ?? null;
  }

  standing(serial: number, now: number): Standing {
    const number = this.numberOf(serial);
    if (!this.opened) {
      const wait = this.enabled ? Math.max(0, this.opensAt - now) + (Math.ceil(this.joined / 2) - 1) * (MINUTE_MS / this.rate) : null;
      return { status: 'WAITING', number: null, position: null, estimatedWaitSeconds: wait === null ? null : Math.ceil(wait / 1000), admittedUntil: null };
    }
    if (number === null) return { status: 'UNKNOWN', number: null, position: null, estimatedWaitSeconds: null, admittedUntil: null };
    if (number > this.served) {
      const wait = this.runAt === null ? null : Math.max(0, this.runAt + Math.ceil(((number - this.runFirst) * MINUTE_MS) / this.rate) - now);
      return {
        status: 'WAITING',
        number,
        position: number - this.served,
        estimatedWaitSeconds: wait === null ? null : Math.ceil(wait / 1000),
        admittedUntil: null,
      };
    }
    const admission = this.admitted.get(number) as { at: number; ms: number };
    const until = admission.at + admission.ms;
    if (until <= now) return { status: 'LAPSED', number, position: null, estimatedWaitSeconds: null, admittedUntil: null };
    return { status: 'ADMITTED', number, position: null, estimatedWaitSeconds: 0, admittedUntil: until };
  }

  join(client: string, now: number): Answer {
    this.advanceTo(now);
    if (!this.exists || !this.enabled) return { type: 'ticket', serial: 0, standing: noRoom };
    const held = this.latest.get(client);
    if (held !== undefined && this.standing(held, now).status !== 'LAPSED') return { type: 'ticket', serial: held, standing: this.standing(held, now) };
    if (this.runAt !== null && this.served === this.highest && this.nextAt() < now) {
      this.runFirst = this.served + 1;
      this.runAt = now;
    }
    this.joined += 1;
    this.latest.set(client, this.joined);
    this.advanceTo(now);
    return { type: 'ticket', serial: this.joined, standing: this.standing(this.joined, now) };
  }

  /** Reads the ticket of `serial`: the client's latest when the read was sent (undefined: it had none). */
  read(serial: number | undefined, now: number): Answer | null {
    this.advanceTo(now);
    return serial === undefined ? null : { type: 'ticket', serial, standing: this.standing(serial, now) };
  }

  configure(settings: ModelSettings, now: number): Answer {
    this.advanceTo(now);
    const opensAt = settings.opensAtIn === undefined ? undefined : settings.opensAtIn === null ? null : now + settings.opensAtIn;
    if (!this.exists) {
      Object.assign(this, {
        exists: true,
        enabled: settings.enabled,
        opensAt: opensAt ?? now,
        rate: settings.admitPerMinute,
        admissionMs: (settings.admissionSeconds ?? 600) * 1000,
        paused: settings.paused ?? false,
      });
      this.advanceTo(now);
      return { type: 'room' };
    }
    if (this.opened && opensAt != null && opensAt !== this.opensAt) return { type: 'error', name: 'InvalidWaitingRoomError' };
    const wasRunning = this.running;
    if (!this.opened && opensAt !== undefined) this.opensAt = opensAt ?? now;
    if (settings.admitPerMinute !== this.rate) {
      const step = Math.ceil(MINUTE_MS / settings.admitPerMinute);
      if (this.runAt !== null) {
        const next = this.nextAt();
        this.runFirst = this.served + 1;
        this.runAt = Math.max(now, Math.min(next, now + step));
      } else {
        this.resumeDelay = Math.min(this.resumeDelay, step);
      }
      this.rate = settings.admitPerMinute;
    }
    if (settings.admissionSeconds != null && settings.admissionSeconds * 1000 !== this.admissionMs) {
      if (this.runAt !== null) {
        const next = this.nextAt();
        this.runFirst = this.served + 1;
        this.runAt = next;
      }
      this.admissionMs = settings.admissionSeconds * 1000;
    }
    this.enabled = settings.enabled;
    if (settings.paused != null) this.paused = settings.paused;
    if (wasRunning && !this.running && this.runAt !== null) {
      const next = this.nextAt();
      this.resumeDelay = Math.max(0, next - now);
      this.runFirst = this.served + 1;
      this.runAt = null;
    } else if (!wasRunning && this.running && this.opened) {
      this.runAt = now + this.resumeDelay;
      this.resumeDelay = 0;
    }
    this.advanceTo(now);
    return { type: 'room' };
  }

  view(now: number): Omit<WaitingRoomView, 'eventId'> | null {
    this.advanceTo(now);
    if (!this.exists) return null;
    let running = 0;
    for (const [number, { at, ms }] of this.admitted) if (number <= this.served && at + ms > now) running += 1;
    return {
      enabled: this.enabled,
      opensAt: new Date(this.opensAt),
      admitPerMinute: this.rate,
      admissionSeconds: this.admissionMs / 1000,
      paused: this.paused,
      waiting: this.opened ? this.highest - this.served : this.joined,
      nowServing: this.served,
      admitted: running,
      lapsed: this.served - running,
    };
  }
}

const noRoom: Standing = { status: 'ADMITTED', number: null, position: null, estimatedWaitSeconds: 0, admittedUntil: null };

function standingOf(ticket: QueueTicket): Standing {
  return {
    status: ticket.status,
    number: ticket.number,
    position: ticket.position,
    estimatedWaitSeconds: ticket.estimatedWaitSeconds,
    admittedUntil: ticket.admittedUntil?.getTime() ?? null,
  };
}

/** What the store answered, with the serial its ticket id stands for (ids are learned as the model issues serials). */
interface StoreAnswer {
  readonly type: string;
  readonly ticket?: QueueTicket;
}

type StoreCommand = Exclude<Command, { kind: 'advance' | 'reopen' }>;

/** Runs a command on the store; a read reads the ticket of `readSerial`. */
async function runStore(store: SeatStore, step: StoreCommand, ids: Map<number, string>, readSerial: number | undefined, now: number) {
  try {
    if (step.kind === 'join') return { type: 'ticket', ticket: await store.waitingRooms.join(EVENT, step.client) } satisfies StoreAnswer;
    if (step.kind === 'read') {
      const id = readSerial === undefined ? undefined : ids.get(readSerial);
      if (id === undefined) return { type: 'none' } satisfies StoreAnswer;
      return { type: 'ticket', ticket: (await store.waitingRooms.ticket(id)) ?? undefined } satisfies StoreAnswer;
    }
    const { opensAtIn, ...rest } = step.settings;
    const settings: RoomSettings = { ...rest, ...(opensAtIn === undefined ? {} : { opensAt: opensAtIn === null ? null : now + opensAtIn }) };
    await store.waitingRooms.configure(EVENT, settings);
    return { type: 'room' } satisfies StoreAnswer;
  } catch (error) {
    if (error instanceof InvalidWaitingRoomError) return { type: 'error:InvalidWaitingRoomError' } satisfies StoreAnswer;
    throw error;
  }
}

function runModel(model: RoomModel, step: StoreCommand, readSerial: number | undefined, now: number): Answer | null {
  if (step.kind === 'join') return model.join(step.client, now);
  if (step.kind === 'read') return model.read(readSerial, now);
  return model.configure(step.settings, now);
}

/** Whether the store's answer is the model's; learns the ids and early numbers it meets. */
function matches(answer: StoreAnswer, expected: Answer | null, ids: Map<number, string>, model: RoomModel, now: number): boolean {
  if (expected === null) return answer.type === 'none';
  if (expected.type === 'error') return answer.type === `error:${expected.name}`;
  if (expected.type === 'room') return answer.type === 'room';
  const ticket = answer.ticket;
  if (answer.type !== 'ticket' || !ticket) return false;
  if (expected.serial === 0) return ticket.status === 'ADMITTED' && ticket.number === null;
  const known = ids.get(expected.serial);
  if (known !== undefined && known !== ticket.id) return false;
  if ([...ids.entries()].some(([serial, id]) => id === ticket.id && serial !== expected.serial)) return false;
  ids.set(expected.serial, ticket.id);
  if (model.opened && ticket.number === null) return false;
  if (!learnEarlyNumber(model, expected.serial, ticket)) return false;
  // An early arrival's standing needs its number, known once the store answered it.
  const standing = model.opened ? model.standing(expected.serial, now) : expected.standing;
  return JSON.stringify(standingOf(ticket)) === JSON.stringify(standing);
}

/** Learns an early arrival's drawn number from the store; false if it cannot be one (not a permutation of 1..early). */
function learnEarlyNumber(model: RoomModel, serial: number, ticket: QueueTicket): boolean {
  if (!model.opened || serial > model.early || model.earlyNumbers.has(serial) || ticket.number === null) return true;
  if (ticket.number < 1 || ticket.number > model.early || [...model.earlyNumbers.values()].includes(ticket.number)) return false;
  model.earlyNumbers.set(serial, ticket.number);
  return true;
}

/** The room and tickets by id, as the store reads them. */
interface Observed {
  readonly view: WaitingRoomView | null;
  readonly tickets: ReadonlyMap<string, QueueTicket | null>;
}

async function observe(store: SeatStore, ids: Iterable<string>): Promise<Observed> {
  const tickets = new Map<string, QueueTicket | null>();
  for (const id of ids) tickets.set(id, await store.waitingRooms.ticket(id));
  return { view: await store.waitingRooms.room(EVENT), tickets };
}

/** Where what the store reads differs from the model (null: nowhere); learns early numbers on the way. */
function disagreement(observed: Observed, model: RoomModel, ids: ReadonlyMap<number, string>, now: number): string | null {
  const expected = model.view(now);
  const actual = observed.view === null ? null : (({ eventId: _eventId, ...rest }) => rest)(observed.view);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) return `the room reads ${JSON.stringify(actual)}, the model ${JSON.stringify(expected)}`;
  for (const [serial, id] of ids) {
    const ticket = observed.tickets.get(id) ?? null;
    if (ticket === null) return `ticket ${serial} reads null`;
    if (!learnEarlyNumber(model, serial, ticket)) return `ticket ${serial} has number ${ticket.number}, not one of the early arrivals' 1..${model.early} left`;
    const want = model.standing(serial, now);
    if (JSON.stringify(standingOf(ticket)) !== JSON.stringify(want))
      return `ticket ${serial} reads ${JSON.stringify(standingOf(ticket))}, the model ${JSON.stringify(want)}`;
  }
  return null;
}

async function expectAgrees(store: SeatStore, model: RoomModel, now: number, ids: Map<number, string>, where: string) {
  expect(disagreement(await observe(store, ids.values()), model, ids, now), where).toBeNull();
}

const settingsArbitrary: fc.Arbitrary<ModelSettings> = fc.record(
  {
    enabled: fc.constantFrom(true, true, true, false),
    opensAtIn: fc.option(fc.integer({ min: -2_000, max: 8_000 }), { nil: undefined }).map((value) => value ?? undefined),
    admitPerMinute: fc.constantFrom(6, 30, 60, 120, 600),
    admissionSeconds: fc.option(fc.constantFrom(2, 5, 20), { nil: undefined }),
    paused: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['enabled', 'admitPerMinute'] },
);

/** An admin at work mid-queue: the rate, pause and admission length, the rest left as it is. */
const adjustmentArbitrary: fc.Arbitrary<ModelSettings> = fc.oneof(
  fc.record({ enabled: fc.constant(true), admitPerMinute: fc.constantFrom(6, 30, 600) }),
  fc.record({ enabled: fc.constant(true), admitPerMinute: fc.constant(60), paused: fc.boolean() }),
  fc.record({ enabled: fc.constant(true), admitPerMinute: fc.constant(60), admissionSeconds: fc.constantFrom(2, 20) }),
);

const storeCommands = [
  fc.record({ kind: fc.constant('join' as const), client: fc.constantFrom(...CLIENTS) }),
  fc.record({ kind: fc.constant('join' as const), client: fc.constantFrom(...CLIENTS) }),
  fc.record({ kind: fc.constant('read' as const), client: fc.constantFrom(...CLIENTS) }),
  fc.record({ kind: fc.constant('configure' as const), settings: settingsArbitrary }),
  fc.record({ kind: fc.constant('configure' as const), settings: adjustmentArbitrary }),
];

const join = (client: string): Command => ({ kind: 'join', client });

/** Paths random search reaches rarely: a faster rate mid-queue, a pause and resume mid-step, a shorter admission. */
const examples: Command[][] = [
  [
    { kind: 'configure', settings: { enabled: true, opensAtIn: 1_000, admitPerMinute: 6 } },
    ...CLIENTS.slice(0, 5).map(join),
    { kind: 'advance', ms: 1_000 },
    { kind: 'advance', ms: 3_000 },
    { kind: 'configure', settings: { enabled: true, admitPerMinute: 600 } },
    { kind: 'advance', ms: 150 },
    { kind: 'configure', settings: { enabled: true, admitPerMinute: 30, paused: true } },
    { kind: 'advance', ms: 5_000 },
    { kind: 'configure', settings: { enabled: true, admitPerMinute: 30, paused: false, admissionSeconds: 2 } },
    { kind: 'advance', ms: 2_500 },
    join('c6'),
    { kind: 'advance', ms: 4_000 },
    join('c0'),
    { kind: 'advance', ms: 6_000 },
  ],
];

function commandsFor(kind: StoreKind): fc.Arbitrary<Command> {
  return fc.oneof(
    ...storeCommands,
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 6_000 }) }),
    ...(kind.reopens ? [fc.constant({ kind: 'reopen' as const })] : []),
  );
}

const SEQUENTIAL_RUNS: Record<string, number> = { memory: 300, durable: 120, redis: 60, cluster: 15 };
const CONCURRENT_RUNS: Record<string, number> = { memory: 150, durable: 60, redis: 40, cluster: 10 };

describe.each(storeKindsDirect)('$name store against the waiting room model', (kind) => {
  prepareStoreKind(kind);

  const openRun = () => {
    const clock = new ManualClock(Date.now() + 3_600_000);
    const harness = kind.harness();
    const open = () => harness.open({ start: fileEvents(testEvents()), pubsub: createSeatlockPubSub(), policy, clock });
    return { clock, harness, open };
  };

  it('agrees with the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandsFor(kind), { minLength: 1, maxLength: 60 }), async (commands) => {
        const { clock, harness, open } = openRun();
        let store = open();
        const model = new RoomModel();
        const ids = new Map<number, string>();
        try {
          for (const [index, step] of commands.entries()) {
            const where = `step ${index}: ${JSON.stringify(step)}`;
            if (step.kind === 'advance') clock.advance(step.ms);
            else if (step.kind === 'reopen') {
              await store.close();
              store = open();
            } else {
              const now = clock.now();
              const serial = step.kind === 'read' ? model.latest.get(step.client) : undefined;
              const answer = await runStore(store, step, ids, serial, now);
              const expected = runModel(model, step, serial, now);
              expect(matches(answer, expected, ids, model, now), `${where}: answered ${JSON.stringify(answer)}, the model ${JSON.stringify(expected)}`).toBe(
                true,
              );
            }
            await expectAgrees(store, model, clock.now(), ids, where);
          }
        } finally {
          await store.close();
          harness.dispose();
        }
      }),
      { numRuns: SEQUENTIAL_RUNS[kind.name] ?? 50, examples: examples.map((commands) => [commands.filter((step) => kind.reopens || step.kind !== 'reopen')]) },
    );
  }, 300_000);

  it('agrees with the model in some order of every batch of concurrent commands', async () => {
    const batch = fc.record({ commands: fc.array(fc.oneof(...storeCommands), { minLength: 2, maxLength: 3 }), advance: fc.integer({ min: 0, max: 4_000 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 10 }), async (batches) => {
        const { clock, harness, open } = openRun();
        const store = open();
        // Every model the store's answers so far fit: orders that answer alike can leave different schedules.
        let candidates = [{ model: new RoomModel(), ids: new Map<number, string>() }];
        try {
          for (const [index, { commands, advance }] of batches.entries()) {
            const where = `batch ${index}: ${JSON.stringify(commands)}`;
            const now = clock.now();
            const { model, ids } = candidates[0] as (typeof candidates)[number];
            // A read reads the ticket its client had when the batch was sent (every candidate agrees on it).
            const serials = commands.map((step) => (step.kind === 'read' ? model.latest.get(step.client) : undefined));
            const answers = await Promise.all(commands.map((step, position) => runStore(store, step, ids, serials[position], now)));
            const next: typeof candidates = [];
            for (const candidate of candidates) {
              for (const order of permutations(commands.map((_, position) => position))) {
                const trial = { model: candidate.model.clone(), ids: new Map(candidate.ids) };
                // Each answer is judged where its command falls in the order, as a linearization.
                const fits = order.every((position) =>
                  matches(
                    answers[position] as StoreAnswer,
                    runModel(trial.model, commands[position] as StoreCommand, serials[position], now),
                    trial.ids,
                    trial.model,
                    now,
                  ),
                );
                if (fits) next.push(trial);
              }
            }
            expect(next.length, `${where}: no order of the batch gives the store's answers ${JSON.stringify(answers)}`).toBeGreaterThan(0);
            candidates = await agreeing(store, next, now, where);
            clock.advance(advance);
            candidates = await agreeing(store, candidates, clock.now(), `${where}, then ${advance} ms`);
          }
        } finally {
          await store.close();
          harness.dispose();
        }
      }),
      { numRuns: CONCURRENT_RUNS[kind.name] ?? 30 },
    );
  }, 300_000);
});

/** The candidates the store's state agrees with (at least one, or the test fails), each distinct once. */
async function agreeing<T extends { model: RoomModel; ids: Map<number, string> }>(store: SeatStore, candidates: T[], now: number, where: string): Promise<T[]> {
  const ids = new Set<string>();
  for (const candidate of candidates) for (const id of candidate.ids.values()) ids.add(id);
  const observed = await observe(store, ids);
  const problems: string[] = [];
  const seen = new Set<string>();
  const kept = candidates.filter((candidate) => {
    const problem = disagreement(observed, candidate.model, candidate.ids, now);
    if (problem !== null) problems.push(problem);
    const { model } = candidate;
    const key = JSON.stringify({
      ...model,
      latest: [...model.latest],
      earlyNumbers: [...model.earlyNumbers],
      admitted: [...model.admitted],
      ids: [...candidate.ids],
    });
    if (problem !== null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  expect(kept.length, `${where}: the store agrees with no order of it: ${problems.join('; ')}`).toBeGreaterThan(0);
  return kept;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}
