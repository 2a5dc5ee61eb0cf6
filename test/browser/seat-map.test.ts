import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config.js';
import { print } from 'graphql';
import { EventSeatsDocument, LockSeatDocument, SeatChangedAfterDocument } from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { ARTIFACTS, useBrowser } from '../support/browser.js';
import { testEvents } from '../support/events.js';
import { GraphQLHttpClient } from '../support/graphql-client.js';
import { tempDataFile } from '../support/processes.js';
import { subscribed } from '../support/subscriptions.js';
import { chromium } from '../support/prerequisites.js';

const browser = useBrowser();

async function openMap(url: URL): Promise<Page> {
  const context = await browser().newContext();
  const page = await context.newPage();
  await page.goto(new URL('/?event=play', url).href);
  await page.waitForSelector('#connection[data-state="live"]');
  await page.waitForSelector('[data-seat-id="A-1"]');
  return page;
}

// A deadline against a hang, not a latency bound: performance is measured in bench/.
const seat = (page: Page, id: string, status: string) => page.waitForSelector(`[data-seat-id="${id}"][data-status="${status}"]`, { timeout: 15_000 });

describe.skipIf(!chromium.present)('the live seat map in Chromium', () => {
  it('shows one buyer’s locks, bookings and expiries to another live', async () => {
    const server = await listeningApp({ lockTtlSeconds: 3, holdMaxSeconds: 6 });
    const [a, b] = [await openMap(server.url), await openMap(server.url)];

    await a.click('[data-seat-id="A-1"]');
    await seat(a, 'A-1', 'MINE');
    await seat(b, 'A-1', 'LOCKED');
    // Keyboard works as well as the mouse: focus a seat and press Enter.
    await a.focus('[data-seat-id="A-2"]');
    await a.keyboard.press('Enter');
    await seat(a, 'A-2', 'MINE');
    await seat(b, 'A-2', 'LOCKED');
    expect(await a.textContent('#hold-summary')).toBe('2 seats held: A1, A2');
    expect(await a.textContent('#countdown')).toMatch(/^Hold expires in 0:0[123]$/);
    expect(await b.getAttribute('[data-seat-id="A-1"]', 'aria-label')).toBe('Seat 1, row A, Stalls: held by someone else');

    await a.click('#confirm');
    await seat(b, 'A-1', 'BOOKED');
    await seat(b, 'A-2', 'BOOKED');
    await seat(a, 'A-1', 'BOOKED');
    expect(await a.textContent('#message')).toMatch(/^Booked: A1, A2\. Booking /);
    expect(await a.textContent('#counts')).toBe('13 free, 0 held, 2 sold of 15 seats');

    await a.click('[data-seat-id="C-5"]');
    await seat(b, 'C-5', 'LOCKED');
    await seat(a, 'C-5', 'AVAILABLE');
    await seat(b, 'C-5', 'AVAILABLE');
    expect(await a.textContent('#message')).toBe('Your hold expired and its seats were given back.');
    await a.screenshot({ path: `${ARTIFACTS}seat-map.png`, fullPage: true });
  });

  it('finds the best seats together for a buyer, and another buyer sees them held', async () => {
    const server = await listeningApp();
    const [a, b] = [await openMap(server.url), await openMap(server.url)];
    // One section in the play: no section picker to offer.
    expect(await a.isHidden('#best-section')).toBe(true);
    await a.selectOption('#best-count', '3');
    await a.click('#best-form button[type="submit"]');
    // Five seats a row: the middle three would strand A1 and A5.
    await seat(a, 'A-1', 'MINE');
    await seat(a, 'A-2', 'MINE');
    await seat(a, 'A-3', 'MINE');
    await seat(b, 'A-2', 'LOCKED');
    expect(await a.textContent('#message')).toBe('Found A1, A2, A3, together. They are in your hold.');
    expect(await a.textContent('#hold-summary')).toBe('3 seats held: A1, A2, A3');
    await a.screenshot({ path: `${ARTIFACTS}best-available.png`, fullPage: true });

    const phone = await (await browser().newContext({ viewport: { width: 375, height: 812 } })).newPage();
    await phone.goto(new URL('/?event=play', server.url).href);
    await phone.waitForSelector('#connection[data-state="live"]');
    // On a phone the options are folded under the house.
    expect(await phone.isVisible('#best-form')).toBe(false);
    await phone.click('#options summary');
    await phone.selectOption('#best-count', '8');
    await phone.click('#best-form button[type="submit"]');
    await phone.waitForSelector('#message:text("No 8 seats together are left")');
    await phone.screenshot({ path: `${ARTIFACTS}best-available-phone.png`, fullPage: true });
  });

  it('keeps a seat someone else holds from being taken: marked, focusable, not clickable', async () => {
    const server = await listeningApp();
    const [a, b] = [await openMap(server.url), await openMap(server.url)];
    await a.click('[data-seat-id="B-3"]');
    await seat(b, 'B-3', 'LOCKED');
    expect(await b.getAttribute('[data-seat-id="B-3"]', 'aria-disabled')).toBe('true');
    const before = await server.client.data(EventSeatsDocument, { id: 'play' });
    // Playwright will not click what says it is disabled; a person still can.
    await b.dispatchEvent('[data-seat-id="B-3"]', 'click');
    // A click on a free seat after it: once that one is held, the page has handled both clicks.
    await b.click('[data-seat-id="B-4"]');
    await seat(b, 'B-4', 'MINE');
    expect(await b.textContent('#hold-summary')).toBe('1 seat held: B4');
    const after = await server.client.data(EventSeatsDocument, { id: 'play' });
    const exceptB4 = (seats: { id: string }[] = []) => seats.filter((entry) => entry.id !== 'B-4');
    expect(exceptB4(after.event?.seats)).toEqual(exceptB4(before.event?.seats));
    await seat(a, 'B-3', 'MINE');
  });

  it('reconnects after the server restarts and shows the state the server has now', async () => {
    const first = await listeningApp();
    const page = await openMap(first.url);
    await page.click('[data-seat-id="A-3"]');
    await seat(page, 'A-3', 'MINE');

    await first.app.stop();
    await page.waitForSelector('#connection[data-state="connecting"]');
    // The same port, a fresh in-memory store: every seat is free again.
    const second = createApp({ ...defaultConfig, dataFile: ':memory:', host: '127.0.0.1', port: Number(first.url.port) }, { events: testEvents() });
    try {
      await second.start();
      await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
      await seat(page, 'A-3', 'AVAILABLE');
      expect(await page.textContent('#hold-summary')).toBe('No seats held. Choose free seats on the map.');

      await new GraphQLHttpClient(first.url.href).data(LockSeatDocument, { eventId: 'play', seatId: 'C-1' });
      await seat(page, 'C-1', 'LOCKED');
    } finally {
      await second.stop();
    }
  });
});

describe.skipIf(!chromium.present)('resuming in Chromium', () => {
  /** Stops `first` and starts a server on its port and data file that has made `changes` before it listens. */
  async function restartWithChanges(first: Awaited<ReturnType<typeof listeningApp>>, dataFile: string, seatIds: string[]) {
    await first.app.stop();
    const second = createApp({ ...defaultConfig, dataFile, host: '127.0.0.1', port: Number(first.url.port) }, { events: testEvents() });
    const inProcess = new GraphQLHttpClient('http://seatlock.test/graphql', async (input, init) => second.yoga.fetch(input, init));
    for (const seatId of seatIds) await inProcess.data(LockSeatDocument, { eventId: 'play', seatId });
    await second.start();
    return second;
  }

  it('the seat map resumes after a lost connection with the changes it missed, without reading the map again', async () => {
    const dataFile = tempDataFile();
    const first = await listeningApp({ dataFile });
    const page = await openMap(first.url);
    let mapReads = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && (request.postData() ?? '').includes('seats {')) mapReads++;
    });
    const second = await restartWithChanges(first, dataFile, ['A-4', 'B-2']);
    try {
      await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
      await seat(page, 'A-4', 'LOCKED');
      await seat(page, 'B-2', 'LOCKED');
      await new GraphQLHttpClient(first.url.href).data(LockSeatDocument, { eventId: 'play', seatId: 'C-2' });
      await seat(page, 'C-2', 'LOCKED');
      expect(mapReads).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it('an EventSource that reconnects sends Last-Event-ID and gets every change it missed, none twice', async () => {
    const dataFile = tempDataFile();
    const first = await listeningApp({ dataFile });
    const page = await openMap(first.url);
    const url = new URL(first.url);
    url.searchParams.set('query', print(SeatChangedAfterDocument));
    url.searchParams.set('variables', JSON.stringify({ eventId: 'play', afterVersion: null }));
    await page.evaluate((href) => {
      const received: { id: string; version: number }[] = [];
      Object.assign(window, { received });
      const source = new EventSource(href);
      source.addEventListener('next', (event) => {
        const { data } = JSON.parse((event as MessageEvent<string>).data) as { data: { seatChanged: { version: number } } };
        received.push({ id: (event as MessageEvent).lastEventId, version: data.seatChanged.version });
      });
    }, url.href);
    // The map's own two (seatChanged and areaChanged) and this one.
    await subscribed(first, 3);
    await first.client.data(LockSeatDocument, { eventId: 'play', seatId: 'A-1' });
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length === 1);

    const second = await restartWithChanges(first, dataFile, ['A-2', 'A-3']);
    try {
      await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length === 3, undefined, { timeout: 15_000 });
      await new GraphQLHttpClient(first.url.href).data(LockSeatDocument, { eventId: 'play', seatId: 'A-4' });
      await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length === 4);
      const received = await page.evaluate(() => (window as unknown as { received: { id: string; version: number }[] }).received);
      expect(received.map(({ version }) => version)).toEqual([1, 2, 3, 4]);
      expect(received.map(({ id }) => id)).toEqual(['1', '2', '3', '4']);
    } finally {
      await second.stop();
    }
  });
});

describe.skipIf(!chromium.present)('GraphiQL in Chromium', () => {
  it('runs a seatChanged subscription that receives another client’s change', async () => {
    const server = await listeningApp();
    const page = await (await browser().newContext()).newPage();
    const subscription = 'subscription { seatChanged(eventId: "play") { version reason seat { id status } } }';
    await page.goto(`${server.url.href}?query=${encodeURIComponent(subscription)}`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 15_000 });
    await page.click('.graphiql-execute-button');
    await subscribed(server);

    await server.client.data(LockSeatDocument, { eventId: 'play', seatId: 'B-2' });
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"B-2"'), undefined, {
      timeout: 15_000,
    });
    const response = await page.textContent('.graphiql-response');
    // Monaco renders spaces as no-break spaces, which \s matches.
    expect(response).toMatch(/"reason":\s*"LOCKED"/);
    await page.screenshot({ path: `${ARTIFACTS}graphiql-subscription.png` });
  });
});
