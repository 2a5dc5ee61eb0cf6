// The waiting room of an on-sale, as the seat map page shows it: the buyer's place in line and
// the estimated wait, live, until they are admitted; then the admission's countdown.
import * as op from '/operations.js';

const ticketKey = (eventId) => `seatlock.queue.${eventId}`;

const minutes = (seconds) => {
  if (seconds < 60) return 'less than a minute';
  const whole = Math.round(seconds / 60);
  return whole < 90 ? `about ${whole} minute${whole === 1 ? '' : 's'}` : `about ${Math.round(whole / 60)} hours`;
};

const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * One tab's place in an event's line. The ticket id is kept for the tab (session storage), so a
 * reload keeps the place; `enter()` settles with the admitted ticket, and `admission()` answers
 * the token the locks take while it lasts.
 */
export class WaitingLine {
  constructor({ graphql, client, view }) {
    this.graphql = graphql;
    this.client = client;
    this.view = view;
    this.eventId = null;
    this.ticket = null;
    this.stopWatching = null;
  }

  /** The admission token while the tab's ticket is admitted, else null. */
  admission() {
    const ticket = this.ticket;
    if (ticket?.status !== 'ADMITTED' || !ticket.admittedUntil) return null;
    return new Date(ticket.admittedUntil).getTime() > Date.now() ? ticket.admissionToken : null;
  }

  /** Seconds of the admission left (null without one). */
  secondsLeft() {
    if (this.ticket?.status !== 'ADMITTED' || !this.ticket.admittedUntil) return null;
    return Math.max(0, Math.ceil((new Date(this.ticket.admittedUntil).getTime() - Date.now()) / 1000));
  }

  /** Leaves the line of the event shown before (its ticket stays kept for the tab). */
  leave() {
    this.stopWatching?.();
    this.stopWatching = null;
    this.ticket = null;
    this.view.hidden = true;
  }

  /**
   * Queues the tab for `eventId` (a room that is on) and settles once it is admitted. A ticket
   * kept from earlier in the tab is read again; a lapsed one is not renewed without the buyer.
   */
  async enter(eventId, room) {
    this.leave();
    this.eventId = eventId;
    this.room = room;
    const kept = sessionStorage.getItem(ticketKey(eventId));
    const ticket = kept ? (await this.graphql(op.SeatMapQueueTicket, { id: kept })).queueTicket : null;
    if (ticket?.status === 'LAPSED') {
      this.ticket = ticket;
      await this.lapsed();
    } else if (ticket) this.ticket = ticket;
    else await this.join();
    if (this.ticket.status === 'ADMITTED') return this.ticket;
    return this.waitForTurn();
  }

  async join() {
    const { joinQueue } = await this.graphql(op.SeatMapJoinQueue, { e: this.eventId });
    if (joinQueue.__typename !== 'QueueTicket') throw new Error(joinQueue.message);
    this.ticket = joinQueue;
    sessionStorage.setItem(ticketKey(this.eventId), joinQueue.id);
  }

  /** Shows that the admission ended, and waits for the buyer to join again. */
  async lapsed() {
    this.render({ lapsed: true });
    await new Promise((resolve) => {
      this.view.querySelector('[data-join]').addEventListener('click', resolve, { once: true });
    });
    await this.join();
  }

  /** Watches the line (one message per step for everyone) until the ticket's number is reached. */
  waitForTurn() {
    this.render({});
    return new Promise((resolve, reject) => {
      let reading = false;
      const check = async (progress) => {
        this.progress = progress;
        this.render({});
        const number = this.ticket.number;
        // Numbered at the opening: the ticket is read again to learn its drawn number.
        if ((number !== null && progress.nowServing < number) || reading) return;
        if (number === null && new Date(this.room.opensAt).getTime() > Date.now()) return;
        reading = true;
        try {
          const { queueTicket } = await this.graphql(op.SeatMapQueueTicket, { id: this.ticket.id });
          if (queueTicket) this.ticket = queueTicket;
          this.render({});
          if (queueTicket?.status === 'ADMITTED') {
            this.stopWatching?.();
            this.stopWatching = null;
            this.view.hidden = true;
            resolve(queueTicket);
          }
        } catch (error) {
          reject(error);
        } finally {
          reading = false;
        }
      };
      this.stopWatching = this.client.subscribe(
        { query: op.SeatMapQueueProgress, variables: { e: this.eventId } },
        { next: ({ data }) => data && void check(data.queueProgress), error: () => {}, complete: () => {} },
      );
    });
  }

  /** The place in line, worked out from the last progress message (number − nowServing). */
  render({ lapsed = false }) {
    const view = this.view;
    view.hidden = false;
    const ticket = this.ticket;
    const progress = this.progress;
    const heading = view.querySelector('[data-heading]');
    const place = view.querySelector('[data-place]');
    const detail = view.querySelector('[data-detail]');
    const bar = view.querySelector('[data-bar]');
    const join = view.querySelector('[data-join]');
    join.hidden = !lapsed;
    if (lapsed) {
      heading.textContent = 'Your turn to choose seats has ended';
      place.textContent = '';
      detail.textContent = 'Join the line again to get a new place at its end.';
      bar.hidden = true;
      return;
    }
    const opensAt = new Date(this.room.opensAt);
    if (ticket.number === null && opensAt.getTime() > Date.now()) {
      heading.textContent = 'You are in the line';
      place.textContent = opensAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      detail.textContent =
        'The sale opens then. Everyone in the line before it gets a random place at that moment, so there is no need to hurry or to reload. Keep this tab open.';
      bar.hidden = true;
      return;
    }
    const nowServing = progress?.nowServing ?? this.room.nowServing;
    const ahead = ticket.number === null ? null : Math.max(0, ticket.number - nowServing);
    const rate = progress?.admitPerMinute ?? this.room.admitPerMinute;
    heading.textContent = ahead === 0 ? 'It is your turn' : 'You are in the line';
    place.textContent = ahead === null ? '…' : ahead === 0 ? 'Now' : `${ahead.toLocaleString()} ahead of you`;
    const paused = progress?.paused ?? this.room.paused;
    detail.textContent = paused
      ? 'The box office has paused the line for a moment. Your place is kept.'
      : ahead === null || ahead === 0
        ? 'Opening the seat map…'
        : `Estimated wait: ${minutes((ahead * 60) / rate)}. Keep this tab open; your place is kept if you reload.`;
    bar.hidden = ticket.number === null;
    if (ticket.number !== null) {
      bar.max = ticket.number;
      bar.value = Math.min(ticket.number, nowServing);
    }
  }
}

/** The admission's countdown, as the hold panel shows it. */
export function admissionText(seconds) {
  return seconds === null ? '' : seconds > 0 ? `Your turn to choose seats: ${clock(seconds)} left` : 'Your turn to choose seats has ended.';
}
