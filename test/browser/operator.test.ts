import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmHoldDocument, EventsDocument, LockSeatsDocument } from '../../operations/generated/graphql.js';
import { demoEvent } from '../../src/venue/demo-event.js';
import { parseEventLayouts } from '../../src/venue/layout.js';
import { listeningApp } from '../support/apps.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { ARTIFACTS, useBrowser } from '../support/browser.js';
import { expectType } from '../support/narrow.js';
import { chromium } from '../support/prerequisites.js';

const browser = useBrowser();
const ADMIN_TOKEN = 'operator-page-token-0123456789abcdefgh';

const lateShow = {
  id: 'late-show',
  name: 'The Late Show',
  sections: [
    {
      name: 'Stalls',
      rows: [
        { row: 'A', seats: 8 },
        { row: 'B', seats: 8 },
      ],
    },
  ],
};

async function openPage(url: URL, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser().newContext({ viewport });
  const page = await context.newPage();
  await page.goto(new URL(path, url).href);
  await page.waitForSelector('#connection[data-state="live"]');
  return page;
}

const seat = (page: Page, id: string, status: string) => page.waitForSelector(`[data-seat-id="${id}"][data-status="${status}"]`, { timeout: 15_000 });

describe.skipIf(!chromium.present)('the operator page in Chromium', () => {
  it('creates an event, blocks seats a buyer sees blocked live, and cancels a booking found by order id', { timeout: 60_000 }, async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN });
    const operator = await openPage(server.url, '/admin');
    await operator.fill('#token', ADMIN_TOKEN);
    await operator.click('#token-form button[type="submit"]');

    // A bad layout: the message names the failing entry.
    const bad = { ...lateShow, sections: [{ name: 'Stalls', rows: [{ row: 'A', seats: 0 }] }] };
    await operator.fill('#layout', JSON.stringify(bad));
    await operator.click('#create-form button[type="submit"]');
    await operator.waitForSelector('#create-error:text("input.sections[0].rows[0].seats must be a whole number")');
    expect(await operator.getAttribute('#layout', 'aria-invalid')).toBe('true');

    await operator.fill('#layout', JSON.stringify(lateShow, null, 2));
    await operator.click('#create-form button[type="submit"]');
    await operator.waitForSelector('#create-error:text("Created The Late Show.")');
    await operator.waitForSelector('#events th:text("The Late Show (late-show)")');
    await seat(operator, 'A-1', 'AVAILABLE');

    const buyer = await openPage(server.url, '/?event=late-show');
    await seat(buyer, 'A-1', 'AVAILABLE');

    // Drag across, then block them.
    await operator.hover('[data-seat-id="A-1"]');
    await operator.mouse.down();
    await operator.hover('[data-seat-id="A-2"]');
    await operator.mouse.up();
    expect(await operator.textContent('#selection')).toBe('2 selected: A1, A2');
    await operator.click('#block');
    await seat(buyer, 'A-1', 'BLOCKED');
    await seat(buyer, 'A-2', 'BLOCKED');
    expect(await buyer.getAttribute('[data-seat-id="A-1"]', 'aria-label')).toBe('Seat 1, row A, Stalls: not for sale');
    expect(await buyer.isDisabled('[data-seat-id="A-1"]')).toBe(true);
    await seat(operator, 'A-2', 'BLOCKED');

    // A buyer's back end confirms with an order id; the operator finds it by that id and cancels it.
    const hold = expectType((await server.client.data(LockSeatsDocument, { eventId: 'late-show', seatIds: ['B-3', 'B-4'] })).lockSeats, 'Hold');
    const booking = expectType((await server.client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'order-77' })).confirmHold, 'Booking');
    await seat(buyer, 'B-3', 'BOOKED');
    await operator.fill('#find', 'order-77');
    await operator.click('#find-form button[type="submit"]');
    await operator.waitForSelector(`#bookings code:text("${booking.id}")`);
    await operator.screenshot({ path: `${ARTIFACTS}operator-laptop.png`, fullPage: true });
    await operator.click('#bookings button:text("Cancel…")');
    await operator.click('#bookings button:text("Yes, cancel and free 2 seats")');
    await operator.waitForSelector('#bookings .status-CANCELLED');
    await seat(buyer, 'B-3', 'AVAILABLE');
    await seat(buyer, 'B-4', 'AVAILABLE');
    await buyer.screenshot({ path: `${ARTIFACTS}buyer-after-operator.png`, fullPage: true });

    const phone = await openPage(server.url, '/admin', { width: 375, height: 812 });
    await phone.waitForSelector('#events th:text("The Late Show (late-show)")');
    await phone.screenshot({ path: `${ARTIFACTS}operator-phone.png`, fullPage: true });
    const buyerPhone = await openPage(server.url, '/?event=late-show', { width: 375, height: 812 });
    await seat(buyerPhone, 'A-1', 'BLOCKED');
    await buyerPhone.screenshot({ path: `${ARTIFACTS}buyer-phone-after-operator.png`, fullPage: true });
  });

  it('renames an event, closes its sales (a buyer is told), and removes one made by mistake after a confirmation', { timeout: 60_000 }, async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN });
    const operator = await openPage(server.url, '/admin');
    await operator.fill('#token', ADMIN_TOKEN);
    await operator.click('#token-form button[type="submit"]');
    await operator.fill('#layout', JSON.stringify(lateShow));
    await operator.click('#create-form button[type="submit"]');
    await operator.waitForSelector('#events th:text("The Late Show (late-show)")');
    await operator.selectOption('#event', 'late-show');
    await operator.waitForFunction(() => (document.getElementById('event-name') as HTMLInputElement).value === 'The Late Show');

    await operator.fill('#event-name', 'The Later Show');
    await operator.click('#event-form button[type="submit"]');
    await operator.waitForSelector('#event-message:text("Renamed to “The Later Show”.")');
    await operator.waitForSelector('#events th:text("The Later Show (late-show)")');

    const buyer = await openPage(server.url, '/?event=late-show');
    await seat(buyer, 'A-1', 'AVAILABLE');
    expect(await buyer.isHidden('#sales-closed')).toBe(true);
    await operator.click('#sales');
    await operator.waitForSelector('#sales-state:text("Sales are closed")');
    await operator.waitForSelector('#events td:text("closed")');
    await buyer.click('[data-seat-id="A-1"]');
    await buyer.waitForSelector('#message:text("Sales for this event are closed.")');
    await buyer.waitForSelector('#sales-closed', { state: 'visible' });
    await seat(buyer, 'A-1', 'AVAILABLE');
    await operator.screenshot({ path: `${ARTIFACTS}operator-sales-closed.png`, fullPage: true });
    await buyer.screenshot({ path: `${ARTIFACTS}buyer-sales-closed.png`, fullPage: true });
    await operator.click('#sales');
    await operator.waitForSelector('#sales-state:text("Sales are open.")');
    await buyer.reload();
    await seat(buyer, 'A-1', 'AVAILABLE');
    expect(await buyer.isHidden('#sales-closed')).toBe(true);

    // A removal asks first; "Keep it" keeps it.
    await operator.click('#remove');
    await operator.click('#remove-box button:text("Keep it")');
    await operator.waitForSelector('#events th:text("The Later Show (late-show)")');
    await operator.click('#remove');
    await operator.click('#remove-box button:text("Yes, remove “The Later Show”")');
    await operator.waitForSelector('#event-message:text("Removed “The Later Show”.")');
    // The table follows the removal by its own refresh: wait for the row to go, with a deadline.
    await operator.waitForSelector('#events th:text("The Later Show (late-show)")', { state: 'detached', timeout: 15_000 });
    expect(await server.client.data(EventsDocument, {}).then(({ events }) => events.map((event) => event.id))).not.toContain('late-show');

    // An event from EVENTS_FILE is not removed: the operator is told why.
    await operator.selectOption('#event', 'play');
    await operator.waitForFunction(() => (document.getElementById('event-name') as HTMLInputElement).value === 'A Play');
    await operator.click('#remove');
    await operator.click('#remove-box button:text("Yes, remove “A Play”")');
    await operator.waitForSelector('#event-message:text("cannot be removed: it is defined in EVENTS_FILE")');
  });

  it('checks the token on entry, shows sales at a glance live, and finds an order in every event', { timeout: 60_000 }, async () => {
    const events = [demoEvent(), ...parseEventLayouts({ events: [lateShow] })];
    const server = await listeningApp({ adminToken: ADMIN_TOKEN }, { events });
    const book = async (eventId: string, seatIds: string[], orderId: string) => {
      const hold = expectType((await server.client.data(LockSeatsDocument, { eventId, seatIds })).lockSeats, 'Hold');
      return expectType((await server.client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId })).confirmHold, 'Booking');
    };
    const inDemo = await book('demo', ['E-9', 'E-10'], 'order-9');
    const inLateShow = await book('late-show', ['B-1'], 'order-9');

    const operator = await openPage(server.url, '/admin', { width: 1280, height: 800 });
    await operator.fill('#token', 'x'.repeat(40));
    await operator.click('#token-form button[type="submit"]');
    await operator.waitForSelector('#token-state:text("That is not this server’s admin token")');
    expect(await operator.evaluate(() => sessionStorage.getItem('seatlock.adminToken'))).toBeNull();
    expect(await operator.getAttribute('#token', 'aria-invalid')).toBe('true');
    expect(await operator.isHidden('#sales-panel')).toBe(true);

    await operator.fill('#token', ADMIN_TOKEN);
    await operator.click('#token-form button[type="submit"]');
    await operator.waitForSelector('#token-state:text("Token accepted")');
    await operator.selectOption('#event', 'demo');
    await operator.waitForSelector('#revenue:text("€130.00 from 2 of 248 seats sold")');
    expect(await operator.textContent('#category-sales')).toContain('Premium2 sold · 0 held');
    expect(await operator.locator('#per-minute rect.minute').count()).toBe(1);
    // Live: a sale elsewhere moves the figures without a reload.
    await book('demo', ['L-1'], 'order-10');
    await operator.waitForSelector('#revenue:text("€158.00 from 3 of 248 seats sold")');
    await operator.waitForSelector('#per-minute-summary:text("2 bookings (3 seats) in the last hour")');
    await operator.screenshot({ path: `${ARTIFACTS}operator-sales-laptop.png`, fullPage: true });

    // An order id is looked up in every event, not only the one shown.
    await operator.fill('#find', 'order-9');
    await operator.click('#find-form button[type="submit"]');
    await operator.waitForSelector(`#bookings code:text("${inLateShow.id}")`);
    expect(await operator.locator('#bookings code').allTextContents()).toEqual([inDemo.id, inLateShow.id]);

    await operator.setViewportSize({ width: 1920, height: 1080 });
    await operator.screenshot({ path: `${ARTIFACTS}operator-sales-wide.png`, fullPage: true });
    const phone = await openPage(server.url, '/admin', { width: 375, height: 812 });
    await phone.fill('#token', ADMIN_TOKEN);
    await phone.click('#token-form button[type="submit"]');
    await phone.selectOption('#event', 'demo');
    await phone.waitForSelector('#revenue:text("€158.00")');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)).toBe(false);
    // The whole house fits the phone's map box: seats shrink rather than run past its edge.
    await phone.waitForSelector('#map [data-seat-id="A-1"]');
    expect(
      await phone.evaluate(() => {
        const map = document.getElementById('map') as HTMLElement;
        return map.scrollWidth <= map.clientWidth;
      }),
    ).toBe(true);
    await phone.locator('#map').screenshot({ path: `${ARTIFACTS}operator-map-phone.png` });
    await phone.screenshot({ path: `${ARTIFACTS}operator-sales-phone.png`, fullPage: true });
  });

  it('adds a webhook endpoint, shows its deliveries and failures, and redelivers one', { timeout: 60_000 }, async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN, webhooksAllowPrivate: true });
    const receiver = await WebhookReceiver.start();
    receiver.answer = (response) => response.writeHead(receiver.received.length === 1 ? 500 : 204).end();
    const operator = await openPage(server.url, '/admin', { width: 1280, height: 800 });
    await operator.fill('#token', ADMIN_TOKEN);
    await operator.click('#token-form button[type="submit"]');
    await operator.waitForSelector('#webhook-endpoints li:text("No endpoint yet.")');
    await operator.fill('#webhook-url', receiver.url());
    await operator.fill('#webhook-types', 'booking.confirmed');
    await operator.click('#webhook-form button[type="submit"]');
    await operator.waitForSelector('#webhook-message:text("Its signing secret, shown only now: whsec_")');
    await operator.waitForSelector(`#webhook-endpoints code:text("${receiver.url()}")`);

    const hold = expectType((await server.client.data(LockSeatsDocument, { eventId: 'play', seatIds: ['A-1'] })).lockSeats, 'Hold');
    expectType((await server.client.data(ConfirmHoldDocument, { holdToken: hold.token, orderId: 'order-3' })).confirmHold, 'Booking');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 15_000 });
    await operator.click('#webhook-endpoints button:text("Deliveries")');
    await operator.waitForSelector('.deliveries tr[data-status="FAILED"] td:text("answered 500")');
    await operator.click('.deliveries button:text("Redeliver")');
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 15_000 });
    expect(receiver.received[1]?.headers['webhook-id']).toBe(receiver.received[0]?.headers['webhook-id']);
    await operator.waitForSelector('.deliveries tr[data-status="DELIVERED"]');
    await operator.locator('#webhooks-panel').screenshot({ path: `${ARTIFACTS}operator-webhooks.png` });
  });

  it('refuses to act without the token, and says so', async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN });
    const operator = await openPage(server.url, '/admin');
    await operator.fill('#layout', JSON.stringify(lateShow));
    await operator.click('#create-form button[type="submit"]');
    await operator.waitForSelector('#create-error:text("The admin token is missing or wrong")');
  });
});
