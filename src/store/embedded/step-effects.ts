import type { EventChange } from '../../domain/model.js';
import type { StepEffects } from './persistence.js';
import type { AreaRecord, BookingRecord, EventRecord, HoldRecord, SeatRecord } from './records.js';
import { newWaitingRoomEffects, noWaitingRoomEffects } from './waiting-rooms.js';
import { newWebhookEffects, noWebhookEffects } from './webhooks.js';

/** What the steps of the current commit changed, collected for the persistence layer. */
export class Effects implements StepEffects {
  readonly createdEvents = new Set<EventRecord>();
  readonly updatedEvents = new Set<EventRecord>();
  readonly relaidEvents = new Set<EventRecord>();
  readonly removedEvents = new Set<EventRecord>();
  readonly seats = new Set<SeatRecord>();
  readonly areas = new Set<AreaRecord>();
  readonly holds = new Set<HoldRecord>();
  readonly forgottenHolds = new Set<HoldRecord>();
  readonly bookings = new Set<BookingRecord>();
  readonly changes: EventChange[] = [];
  readonly webhooks = newWebhookEffects();
  readonly waitingRooms = newWaitingRoomEffects();

  get empty(): boolean {
    return (
      this.createdEvents.size === 0 &&
      this.updatedEvents.size === 0 &&
      this.relaidEvents.size === 0 &&
      this.removedEvents.size === 0 &&
      this.seats.size === 0 &&
      this.areas.size === 0 &&
      this.holds.size === 0 &&
      this.forgottenHolds.size === 0 &&
      this.bookings.size === 0 &&
      noWebhookEffects(this.webhooks) &&
      noWaitingRoomEffects(this.waitingRooms)
    );
  }

  clear(): void {
    this.createdEvents.clear();
    this.updatedEvents.clear();
    this.relaidEvents.clear();
    this.removedEvents.clear();
    this.seats.clear();
    this.areas.clear();
    this.holds.clear();
    this.forgottenHolds.clear();
    this.bookings.clear();
    this.changes.length = 0;
    for (const set of Object.values(this.webhooks)) set.clear();
    this.waitingRooms.key = null;
    this.waitingRooms.rooms.clear();
    this.waitingRooms.removed.clear();
    this.waitingRooms.tickets.length = 0;
  }
}
