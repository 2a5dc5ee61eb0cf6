import type { BookingStatus, SeatStatus } from '../domain/model.js';

/**
 * A booking's seats as the booking holds them, in every store: BOOKED while it stands, and
 * AVAILABLE (given back) once it is CANCELLED, whatever became of them since (sold again, or
 * blocked). A booking is a record: read afresh it answers the same, and it tells no one what
 * another buyer did with a seat. The seats as they are now are read from `seats` or `event`.
 */
export function bookedSeatStatus(booking: BookingStatus): SeatStatus {
  return booking === 'CONFIRMED' ? 'BOOKED' : 'AVAILABLE';
}
