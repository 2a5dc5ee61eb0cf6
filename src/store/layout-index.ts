import type { EventDefinition, SeatDefinition, SeatStatus, Seat } from '../domain/model.js';

/** The seat layouts of all events, looked up by id; stores keep only state beside it. */
export class LayoutIndex {
  private readonly events = new Map<string, { definition: EventDefinition; seats: Map<string, SeatDefinition> }>();

  constructor(definitions: readonly EventDefinition[]) {
    for (const definition of definitions) this.add(definition);
  }

  /** Adds an event (made at runtime); an event already known keeps its layout. */
  add(definition: EventDefinition): void {
    if (this.events.has(definition.id)) return;
    this.events.set(definition.id, { definition, seats: new Map(definition.seats.map((seat) => [seat.id, seat])) });
  }

  /** Forgets a removed event. */
  remove(eventId: string): void {
    this.events.delete(eventId);
  }

  get definitions(): EventDefinition[] {
    return [...this.events.values()].map((entry) => entry.definition);
  }

  event(eventId: string): EventDefinition | undefined {
    return this.events.get(eventId)?.definition;
  }

  hasSeat(eventId: string, seatId: string): boolean {
    return this.events.get(eventId)?.seats.has(seatId) ?? false;
  }

  /** A seat with its state; the seat must be in the layout. */
  seat(eventId: string, seatId: string, status: SeatStatus, lockExpiresAt: number | null): Seat {
    const definition = this.events.get(eventId)?.seats.get(seatId);
    if (!definition) throw new Error(`seat ${eventId}/${seatId} is not in the layout`);
    return { ...definition, eventId, status, lockExpiresAt: lockExpiresAt === null ? null : new Date(lockExpiresAt) };
  }
}
