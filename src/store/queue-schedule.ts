/**
 * The admission schedule of a waiting room: the one copy of its rules in TypeScript. The Redis
 * scripts' `room` include is the other (scripts run them atomically beside the tickets), and the
 * waiting-room model test holds every store to the same answers.
 *
 * Numbers are served in runs ("segments"): from number `first`, served at `firstAt`, one more
 * every minute / `admitPerMinute`. A run ends when the rate changes, when the room stops
 * (paused or disabled), and when the line emptied and a step passed with nobody to admit (that
 * capacity is not saved up: the next arrival is admitted on arrival, the one after a step later).
 * Every time follows from the run it is in, so nothing is done per ticket or per step: a
 * ticket's admission, its lapse and the counts are arithmetic on a handful of runs.
 */

export const MINUTE_MS = 60_000;

/** A finished run of admissions, kept while any of its admissions still runs. */
export interface AdmissionRun {
  readonly first: number;
  readonly last: number;
  /** When `first` was served. */
  readonly at: number;
  readonly perMinute: number;
  /** How long its admissions last (admissionSeconds when they were made). */
  readonly admissionMs: number;
}

/** One event's waiting room as every store keeps it (Redis keeps exactly this, as JSON). */
export interface RoomState {
  enabled: boolean;
  /** When early arrivals are numbered and admission begins (a room configured without one: when it was configured). */
  opensAt: number;
  admitPerMinute: number;
  admissionMs: number;
  paused: boolean;
  /** Tickets issued: serials 1 to `joined`. */
  joined: number;
  /** How many serials were numbered by the shuffle at opening; null until the room opened. */
  shuffled: number | null;
  /** 32 random bytes (hex): the shuffle of early arrivals follows from it. */
  seed: string;
  /** The first number of the current run. */
  first: number;
  /** When `first` is (or was) served; null while the room is not open or not running. */
  firstAt: number | null;
  /** While stopped: how long after it runs again the next number is served (the rest of the step it stopped in). */
  resumeDelayMs: number;
  /** Finished runs, oldest first, while an admission of theirs still runs: every number before them has lapsed. */
  history: AdmissionRun[];
}

/** What an admin sets; left out (undefined): unchanged. `opensAt` null: open now. */
export interface RoomSettings {
  readonly enabled: boolean;
  readonly opensAt?: number | null | undefined;
  readonly admitPerMinute: number;
  readonly admissionSeconds?: number | null | undefined;
  readonly paused?: boolean | null | undefined;
}

export const DEFAULT_ADMISSION_SECONDS = 600;
export const MAX_ADMIT_PER_MINUTE = 600_000;
export const MAX_ADMISSION_SECONDS = 86_400;

/** Why settings cannot be taken (null: they can), in words naming the field. */
export function settingsProblem(settings: RoomSettings, room: RoomState | null): string | null {
  const { admitPerMinute, admissionSeconds, opensAt } = settings;
  if (!Number.isInteger(admitPerMinute) || admitPerMinute < 1 || admitPerMinute > MAX_ADMIT_PER_MINUTE) {
    return `admitPerMinute must be a whole number from 1 to ${MAX_ADMIT_PER_MINUTE}; it was ${admitPerMinute}.`;
  }
  if (admissionSeconds != null && (!Number.isInteger(admissionSeconds) || admissionSeconds < 1 || admissionSeconds > MAX_ADMISSION_SECONDS)) {
    return `admissionSeconds must be a whole number from 1 to ${MAX_ADMISSION_SECONDS}; it was ${admissionSeconds}.`;
  }
  if (opensAt != null && !Number.isFinite(opensAt)) return 'opensAt must be a valid time.';
  if (room?.shuffled != null && opensAt != null && opensAt !== room.opensAt) return roomOpenedProblem(room.opensAt);
  return null;
}

/** Why opensAt cannot move: the room opened and numbered its tickets. */
export function roomOpenedProblem(opensAt: number): string {
  return `The room opened at ${new Date(opensAt).toISOString()}: its tickets are numbered, so opensAt can no longer move.`;
}

const running = (room: RoomState): boolean => room.enabled && !room.paused;

/** The highest number issued: none before the room opens, every serial after. */
export function highestNumber(room: RoomState): number {
  return room.shuffled === null ? 0 : room.joined;
}

/** When number `n` of a run is served. */
function servedAt(first: number, at: number, perMinute: number, n: number): number {
  return at + Math.ceil(((n - first) * MINUTE_MS) / perMinute);
}

/** The last number of a run served by `time` (first − 1 before it began). */
function servedBy(first: number, at: number, perMinute: number, time: number): number {
  return time < at ? first - 1 : first + Math.floor(((time - at) * perMinute) / MINUTE_MS);
}

/** The highest number admitted so far (its ticket and every lower one have been let in). */
export function nowServing(room: RoomState, now: number): number {
  if (room.firstAt === null) return room.first - 1;
  return Math.min(highestNumber(room), servedBy(room.first, room.firstAt, room.admitPerMinute, now));
}

/** Tickets still WAITING: every ticket before the opening, the numbers not yet served after. */
export function waitingCount(room: RoomState, now: number): number {
  return room.shuffled === null ? room.joined : highestNumber(room) - nowServing(room, now);
}

/** The current run's served numbers as a run (null when none was served in it). */
function currentRun(room: RoomState, now: number): AdmissionRun | null {
  const served = nowServing(room, now);
  if (room.firstAt === null || served < room.first) return null;
  return { first: room.first, last: served, at: room.firstAt, perMinute: room.admitPerMinute, admissionMs: room.admissionMs };
}

/** How many of a run's admissions still run at `now` (each ends admissionMs after it was made). */
function runningIn(run: AdmissionRun, now: number): number {
  const endedThrough = Math.min(run.last, Math.max(run.first - 1, servedBy(run.first, run.at, run.perMinute, now - run.admissionMs)));
  return run.last - endedThrough;
}

/** Admissions running at `now`: served, and not yet lapsed. */
export function admittedCount(room: RoomState, now: number): number {
  const current = currentRun(room, now);
  let count = current ? runningIn(current, now) : 0;
  for (const run of room.history) count += runningIn(run, now);
  return count;
}

/** Admissions that ended by `now`. */
export function lapsedCount(room: RoomState, now: number): number {
  return nowServing(room, now) - admittedCount(room, now);
}

/** When the admission of number `n` ends; null if it was not admitted yet, or so long ago that its run is forgotten (lapsed). */
function admittedUntil(room: RoomState, n: number, now: number): number | null {
  if (n > nowServing(room, now)) return null;
  const current = currentRun(room, now);
  const run = current && n >= current.first ? current : room.history.find((candidate) => n >= candidate.first && n <= candidate.last);
  return run ? servedAt(run.first, run.at, run.perMinute, n) + run.admissionMs : null;
}

/** A new room, configured at `now`; `settle` it before use. */
export function newRoom(settings: RoomSettings, now: number, seed: string): RoomState {
  return {
    enabled: settings.enabled,
    opensAt: settings.opensAt ?? now,
    admitPerMinute: settings.admitPerMinute,
    admissionMs: (settings.admissionSeconds ?? DEFAULT_ADMISSION_SECONDS) * 1000,
    paused: settings.paused ?? false,
    joined: 0,
    shuffled: null,
    seed,
    first: 1,
    firstAt: null,
    resumeDelayMs: 0,
    history: [],
  };
}

/**
 * What time alone does, applied before anything else at `now`: the opening (early arrivals are
 * numbered, ticket 1 is served at `opensAt`), and finished runs none of whose admissions still
 * runs are forgotten. Applying it again, at the same time or later, changes nothing it decided.
 */
export function settle(room: RoomState, now: number): void {
  if (room.shuffled === null && now >= room.opensAt) {
    room.shuffled = room.joined;
    room.first = 1;
    room.firstAt = running(room) ? room.opensAt : null;
    room.resumeDelayMs = 0;
  }
  while (room.history.length > 0 && runningIn(room.history[0] as AdmissionRun, now) === 0) room.history.shift();
}

/** Ends the current run at what is served by `now`; answers when the next number would have been served. */
function endRun(room: RoomState, now: number): number | null {
  if (room.firstAt === null) return null;
  const served = nowServing(room, now);
  if (served >= room.first) {
    room.history.push({ first: room.first, last: served, at: room.firstAt, perMinute: room.admitPerMinute, admissionMs: room.admissionMs });
  }
  const next = servedAt(room.first, room.firstAt, room.admitPerMinute, served + 1);
  room.first = served + 1;
  return next;
}

/**
 * Issues the next serial to a buyer who joins an enabled room at `now` (the room settled). A
 * line that emptied loses the steps nobody was there for: an arrival a whole step after the last
 * admission is admitted at once, and the next one step after it; capacity is never saved up.
 */
export function join(room: RoomState, now: number): number {
  if (room.firstAt !== null && nowServing(room, now) === highestNumber(room)) {
    const next = servedAt(room.first, room.firstAt, room.admitPerMinute, highestNumber(room) + 1);
    if (next < now) {
      endRun(room, now);
      room.firstAt = now;
    }
  }
  room.joined += 1;
  return room.joined;
}

/** Applies new settings at `now` (checked by {@link settingsProblem}; the room settled). */
export function configure(room: RoomState, settings: RoomSettings, now: number): void {
  const wasRunning = running(room);
  if (room.shuffled === null && settings.opensAt !== undefined) room.opensAt = settings.opensAt ?? now;
  if (settings.admitPerMinute !== room.admitPerMinute) {
    const step = Math.ceil(MINUTE_MS / settings.admitPerMinute);
    if (room.firstAt !== null) {
      const next = endRun(room, now) as number;
      room.firstAt = Math.max(now, Math.min(next, now + step));
    } else {
      room.resumeDelayMs = Math.min(room.resumeDelayMs, step);
    }
    room.admitPerMinute = settings.admitPerMinute;
  }
  if (settings.admissionSeconds != null && settings.admissionSeconds * 1000 !== room.admissionMs) {
    // Admissions made so far keep their end (their tokens carry it): a new run takes the new length.
    if (room.firstAt !== null) room.firstAt = endRun(room, now);
    room.admissionMs = settings.admissionSeconds * 1000;
  }
  room.enabled = settings.enabled;
  if (settings.paused != null) room.paused = settings.paused;
  const isRunning = running(room);
  if (wasRunning && !isRunning && room.firstAt !== null) {
    const next = endRun(room, now) as number;
    room.resumeDelayMs = Math.max(0, next - now);
    room.firstAt = null;
  } else if (!wasRunning && isRunning && room.shuffled !== null) {
    room.firstAt = now + room.resumeDelayMs;
    room.resumeDelayMs = 0;
  }
  settle(room, now);
}

export type TicketStatus = 'WAITING' | 'ADMITTED' | 'LAPSED';

/** Where a ticket stands at `now` (the room settled): its number is null before the opening. */
export interface TicketStanding {
  readonly status: TicketStatus;
  readonly number: number | null;
  /** Tickets ahead and itself (1: next); null unless WAITING with a number. */
  readonly position: number | null;
  readonly estimatedWaitSeconds: number | null;
  /** When its admission ends; null unless ADMITTED. */
  readonly admittedUntil: number | null;
}

/** The standing of the ticket of `number` (null: not numbered yet) at `now`. */
export function standing(room: RoomState, number: number | null, now: number): TicketStanding {
  const step = MINUTE_MS / room.admitPerMinute;
  if (number === null) {
    // Before the opening every early arrival's place is a draw: the middle of the line is the fair guess.
    const middle = Math.ceil(room.joined / 2);
    const wait = room.enabled ? Math.max(0, room.opensAt - now) + (middle - 1) * step : null;
    return { status: 'WAITING', number, position: null, estimatedWaitSeconds: wait === null ? null : Math.ceil(wait / 1000), admittedUntil: null };
  }
  const served = nowServing(room, now);
  if (number > served) {
    const wait = room.firstAt === null ? null : Math.max(0, servedAt(room.first, room.firstAt, room.admitPerMinute, number) - now);
    return { status: 'WAITING', number, position: number - served, estimatedWaitSeconds: wait === null ? null : Math.ceil(wait / 1000), admittedUntil: null };
  }
  const until = admittedUntil(room, number, now);
  if (until === null || until <= now) return { status: 'LAPSED', number, position: null, estimatedWaitSeconds: null, admittedUntil: null };
  return { status: 'ADMITTED', number, position: null, estimatedWaitSeconds: 0, admittedUntil: until };
}

/** When the settled room next changes by time alone (its opening or its next admission); null: not until someone joins or an admin acts. */
export function nextStepAt(room: RoomState, now: number): number | null {
  if (room.shuffled === null) return room.opensAt;
  if (room.firstAt === null) return null;
  const served = nowServing(room, now);
  return served < highestNumber(room) ? servedAt(room.first, room.firstAt, room.admitPerMinute, served + 1) : null;
}

/** The room at `now` without changing it: what reads answer. */
export function settledCopy(room: RoomState, now: number): RoomState {
  const copy = { ...room, history: [...room.history] };
  settle(copy, now);
  return copy;
}
