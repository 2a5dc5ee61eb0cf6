import type { Area, AreaCounts, AreaDefinition, Category, EventDefinition, SeatDefinition, SeatStatus, Seat } from '../../domain/model.js';
import { areaView } from '../../venue/area-view.js';
import { placeStoredSeats } from '../../venue/layout-geometry.js';
import { categoriesOf, seatView } from '../../venue/seat-view.js';

/** The seat layouts of all events, looked up by id; stores keep only state beside it. */
export class LayoutIndex {
  private readonly events = new Map<
    string,
    {
      definition: EventDefinition;
      seats: Map<string, SeatDefinition>;
      areas: Map<string, { readonly definition: AreaDefinition; readonly index: number }>;
      categories: ReadonlyMap<string, Category>;
    }
  >();

  constructor(definitions: readonly EventDefinition[]) {
    for (const definition of definitions) this.add(definition);
  }

  /** Adds an event (made at runtime); an event already known keeps its layout. */
  add(given: EventDefinition): void {
    if (this.events.has(given.id)) return;
    // Layouts stored by a seatlock from before seats had places get them here.
    const definition = given.seats.every((seat) => seat.x !== undefined) ? given : { ...given, seats: placeStoredSeats(given.seats) };
    this.events.set(definition.id, {
      definition,
      seats: new Map(definition.seats.map((seat) => [seat.id, seat])),
      areas: new Map((definition.areas ?? []).map((area, index) => [area.id, { definition: area, index }])),
      categories: categoriesOf(definition),
    });
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

  /** An area with its counts; the area must be in the layout. */
  area(eventId: string, areaId: string, counts: AreaCounts): Area {
    const event = this.events.get(eventId);
    const area = event?.areas.get(areaId);
    if (!event || !area) throw new Error(`area ${eventId}/${areaId} is not in the layout`);
    return areaView(area.definition, eventId, event.categories, counts);
  }

  /** The area's position in the layout, for listing areas in layout order; -1 for one it does not have. */
  areaIndex(eventId: string, areaId: string): number {
    return this.events.get(eventId)?.areas.get(areaId)?.index ?? -1;
  }

  /** A seat with its state; the seat must be in the layout. */
  seat(eventId: string, seatId: string, status: SeatStatus, lockExpiresAt: number | null): Seat {
    const event = this.events.get(eventId);
    const definition = event?.seats.get(seatId);
    if (!event || !definition) throw new Error(`seat ${eventId}/${seatId} is not in the layout`);
    return seatView(definition, eventId, event.categories, status, lockExpiresAt === null ? null : new Date(lockExpiresAt));
  }
}
