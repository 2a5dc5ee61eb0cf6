import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ConfigureWaitingRoomDocument, JoinQueueDocument } from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { ARTIFACTS, useBrowser } from '../support/browser.js';
import { ManualClock } from '../support/clock.js';
import { chromium } from '../support/prerequisites.js';

const browser = useBrowser();
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghij';

async function openPage(url: URL, path: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser().newContext({ viewport });
  const page = await context.newPage();
  await page.goto(new URL(path, url).href);
  await page.waitForSelector('#connection[data-state="live"]');
  return page;
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe.skipIf(!chromium.present)('the waiting room in Chromium', () => {
  it('queues a buyer with their place and wait live, then opens the map with the admission counting down', { timeout: 60_000 }, async () => {
    // The server's time is the test's to move: the line advances when the test says so.
    const clock = new ManualClock(Date.now());
    const server = await listeningApp({ adminToken: ADMIN_TOKEN, clientIdentity: { kind: 'header', name: 'x-client-id' } }, { clock });
    const operator = server.client.withHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
    await operator.data(ConfigureWaitingRoomDocument, { eventId: 'play', input: { enabled: true, admitPerMinute: 2, admissionSeconds: 600 } });
    for (const id of ['first', 'second', 'third']) await server.client.withHeaders({ 'x-client-id': id }).data(JoinQueueDocument, { eventId: 'play' });

    const laptop = await openPage(server.url, '/?event=play', { width: 1280, height: 800 });
    await laptop.waitForSelector('#queue [data-place]:text("3 ahead of you")');
    expect(await laptop.textContent('#queue [data-detail]')).toContain('Estimated wait: about 2 minutes');
    expect(await laptop.isHidden('#map')).toBe(true);
    await laptop.screenshot({ path: `${ARTIFACTS}seat-map-queue-1280x800.png`, fullPage: true });

    // The same buyer on a phone (one client, one ticket): the same place.
    const phone = await openPage(server.url, '/?event=play', { width: 375, height: 812 });
    await phone.waitForSelector('#queue [data-place]:text("3 ahead of you")');
    expect(await noSidewaysScroll(phone)).toBe(true);

    // One step: the place moves on both, live.
    clock.advance(30_000);
    await laptop.waitForSelector('#queue [data-place]:text("2 ahead of you")', { timeout: 15_000 });
    await phone.waitForSelector('#queue [data-place]:text("2 ahead of you")', { timeout: 15_000 });
    await phone.screenshot({ path: `${ARTIFACTS}seat-map-queue-375x812.png`, fullPage: true });

    // Two more steps: it is this buyer's turn; the map opens and a seat locks with the admission.
    clock.advance(60_000);
    await laptop.waitForSelector('[data-seat-id="A-3"]', { timeout: 15_000 });
    await laptop.waitForSelector('#admission:text("Your turn to choose seats")');
    await laptop.click('[data-seat-id="A-3"]');
    await laptop.waitForSelector('[data-seat-id="A-3"][data-status="MINE"]', { timeout: 15_000 });
    await laptop.screenshot({ path: `${ARTIFACTS}seat-map-admitted-1280x800.png`, fullPage: true });
    // A reload keeps the admission for the tab.
    await laptop.reload();
    await laptop.waitForSelector('[data-seat-id="A-3"][data-status="MINE"]', { timeout: 15_000 });
  });

  it('lets the operator turn a room on, watch it and pause it', { timeout: 60_000 }, async () => {
    const server = await listeningApp({ adminToken: ADMIN_TOKEN, clientIdentity: { kind: 'header', name: 'x-client-id' } });
    for (const viewport of [
      { width: 1280, height: 900, name: 'laptop' },
      { width: 375, height: 812, name: 'phone' },
    ]) {
      const page = await openPage(server.url, '/admin', viewport);
      await page.fill('#token', ADMIN_TOKEN);
      await page.click('#token-form button[type="submit"]');
      await page.waitForSelector('#token-state:text("Token accepted")');
      await page.selectOption('#event', 'play');
      await page.waitForSelector('#room-panel:not([hidden])');
      if (viewport.name === 'laptop') {
        await page.waitForSelector('#room-state:text("No waiting room")');
        await page.check('#room-enabled');
        await page.fill('#room-rate', '120');
        await page.click('#room-form button[type="submit"]');
        await page.waitForSelector('#room-state:text("On: letting in 120 a minute")');
        // Open now: its time can no longer move, even with the form in use.
        expect(await page.isDisabled('#room-opens')).toBe(true);
        // A paused line lets nobody in: the buyers who join wait.
        await page.click('#room-pause');
        await page.waitForSelector('#room-state:text("Paused")');
        for (const id of ['a', 'b', 'c', 'd', 'e']) await server.client.withHeaders({ 'x-client-id': id }).data(JoinQueueDocument, { eventId: 'play' });
        await page.waitForSelector('#room-waiting:text("5")', { timeout: 15_000 });
      }
      await page.waitForSelector('#room-state:text("Paused")');
      expect(await noSidewaysScroll(page)).toBe(true);
      await page.locator('#room-panel').screenshot({ path: `${ARTIFACTS}operator-room-${viewport.name}.png` });
    }
  });
});
