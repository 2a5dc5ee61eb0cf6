import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LockAreaPlacesDocument } from '../../operations/generated/graphql.js';
import { listeningApp } from '../support/apps.js';
import { ARTIFACTS, seriousAxeViolations, useBrowser } from '../support/browser.js';
import { festivalEvents } from '../support/events.js';
import { expectType } from '../support/narrow.js';
import { chromium } from '../support/prerequisites.js';

const browser = useBrowser();
const ADMIN_TOKEN = 'browser-admin-token-0123456789abcdefghij';

const VIEWPORTS = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '375x812', width: 375, height: 812 },
] as const;

async function openFestival(url: URL, viewport: { width: number; height: number } = VIEWPORTS[0]): Promise<Page> {
  const page = await (await browser().newContext({ viewport })).newPage();
  await page.goto(new URL('/?event=festival', url).href);
  await page.waitForSelector('#connection[data-state="live"]');
  await page.waitForSelector('[data-area-id="floor"]');
  return page;
}

// A deadline against a hang, not a latency bound: performance is measured in bench/.
const areaSays = (page: Page, areaId: string, text: string) => page.waitForSelector(`[data-area-id="${areaId}"]:has-text("${text}")`, { timeout: 15_000 });

describe.skipIf(!chromium.present)('general admission areas in Chromium', () => {
  for (const viewport of VIEWPORTS) {
    it(`lets a buyer add standing places to a hold with seats, and another buyer sees the places go (${viewport.name})`, { timeout: 60_000 }, async () => {
      const server = await listeningApp({}, { events: festivalEvents() });
      const [buyer, other] = [await openFestival(server.url, viewport), await openFestival(server.url)];
      await areaSays(buyer, 'floor', '100 places left');
      // Read out as it shows, with what it is and its price.
      expect(await buyer.getByRole('button', { name: /^Standing floor ?, standing, €30\.00 each: ?100 places left$/ }).count()).toBe(1);

      await buyer.click('[data-seat-id="A-2"]');
      await buyer.waitForSelector('[data-seat-id="A-2"][data-status="MINE"]');
      await buyer.click('[data-area-id="floor"]');
      await buyer.waitForSelector('#places-form:not([hidden])');
      expect(await buyer.textContent('#places-area')).toBe('Standing floor: 100 places left at €30.00 each.');
      await buyer.fill('#places-count', '3');
      await buyer.click('#places-add');
      await areaSays(buyer, 'floor', '✓ 3 in your hold');
      await areaSays(other, 'floor', '97 places left');
      expect(await buyer.textContent('#hold-summary')).toBe('1 seat held: A2; and 3 places in Standing floor');
      expect(await buyer.textContent('#hold-total')).toBe('Total €145.00');
      await buyer.screenshot({ path: `${ARTIFACTS}areas-hold-${viewport.name}.png`, fullPage: true });
      // Blocks and picker are as accessible as the seats: named buttons, labelled inputs, enough contrast.
      expect(await seriousAxeViolations(buyer)).toEqual([]);

      // Someone else takes the rest of the lawn: it is sold out on this page, live.
      expectType((await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 10 })).lockAreaPlaces, 'Hold');
      await areaSays(buyer, 'lawn', 'Sold out');
      expect(await buyer.getAttribute('[data-area-id="lawn"]', 'aria-disabled')).toBe('true');

      await buyer.click('#confirm');
      await buyer.waitForSelector('#message:text("Booked: A2, 3 × Standing floor")');
      await areaSays(other, 'floor', '97 places left');
      expect(await buyer.textContent('#hold-summary')).toBe('No seats held. Choose free seats on the map.');
      // No sideways scroll on a phone.
      expect(await buyer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    });
  }

  it('says so when fewer places are left than asked for, and changes nothing', { timeout: 60_000 }, async () => {
    const server = await listeningApp({}, { events: festivalEvents() });
    const buyer = await openFestival(server.url);
    await buyer.click('[data-area-id="lawn"]');
    expectType((await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'lawn', quantity: 5 })).lockAreaPlaces, 'Hold');
    await buyer.waitForSelector('#places-area:text("Lawn: 5 places left.")');
    await buyer.fill('#places-count', '8');
    await buyer.click('#places-add');
    await buyer.waitForSelector('#message:text("Sorry, only 5 places are left there.")');
    await areaSays(buyer, 'lawn', '5 places left');
    expect(await buyer.textContent('#hold-summary')).toBe('No seats held. Choose free seats on the map.');
  });

  for (const viewport of [
    { name: 'laptop', width: 1280, height: 800 },
    { name: 'phone', width: 375, height: 812 },
  ]) {
    it(`lets the operator see an area's counts live and hold places back (${viewport.name})`, { timeout: 60_000 }, async () => {
      const server = await listeningApp({ adminToken: ADMIN_TOKEN }, { events: festivalEvents() });
      const page = await (await browser().newContext({ viewport })).newPage();
      await page.goto(new URL('/admin', server.url).href);
      await page.fill('#token', ADMIN_TOKEN);
      await page.click('#token-form button[type="submit"]');
      await page.waitForSelector('#connection[data-state="live"]');
      await page.selectOption('#event', 'festival');
      await page.waitForSelector('[data-area-id="floor"]');
      expectType((await server.client.data(LockAreaPlacesDocument, { eventId: 'festival', areaId: 'floor', quantity: 4 })).lockAreaPlaces, 'Hold');
      await areaSays(page, 'floor', '96 free · 4 held · 0 sold');

      await page.click('[data-area-id="floor"]');
      await page.waitForSelector('#area-form:not([hidden])');
      expect(await page.textContent('#area-title')).toBe('Standing floor: 100 places');
      await page.fill('#area-hold-back', '20');
      await page.click('#area-form button[type="submit"]');
      await page.waitForSelector('#area-message:text("20 places are held back.")');
      await areaSays(page, 'floor', '76 free · 4 held · 0 sold · 20 held back');
      expect(await page.textContent('#area-blocked')).toBe('20');

      // More than are free is refused, with the server's reason.
      await page.fill('#area-hold-back', '97');
      await page.click('#area-form button[type="submit"]');
      await page.waitForSelector('#area-message:text("Only 76 more places of area \\"floor\\" can be held back")');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `${ARTIFACTS}operator-areas-${viewport.name}.png`, fullPage: true });
    });
  }
});
