import type { SeatChangeReason } from '../domain/model.js';

/** How one change moves an area's places, per place: between its counts, and on its holder's cap. */
export interface PlaceMove {
  readonly locked: number;
  readonly booked: number;
  readonly blocked: number;
  /** The holder's count of locked places (the per-client cap). */
  readonly client: number;
}

/**
 * What each reason does to an area's places: the one table of the places' rules. Every store
 * applies it (the Redis scripts' copy is `PLACE_MOVES` in scripts/includes/areas.lua, which the
 * model test holds to the same counts).
 */
export const PLACE_MOVES: Readonly<Record<SeatChangeReason, PlaceMove>> = {
  LOCKED: { locked: 1, booked: 0, blocked: 0, client: 1 },
  RELEASED: { locked: -1, booked: 0, blocked: 0, client: -1 },
  EXPIRED: { locked: -1, booked: 0, blocked: 0, client: -1 },
  BOOKED: { locked: -1, booked: 1, blocked: 0, client: -1 },
  CANCELLED: { locked: 0, booked: -1, blocked: 0, client: 0 },
  BLOCKED: { locked: 0, booked: 0, blocked: 1, client: 0 },
  UNBLOCKED: { locked: 0, booked: 0, blocked: -1, client: 0 },
};
