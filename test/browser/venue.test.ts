import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoEvent } from '../../src/venue/demo-event.js';
import { listeningApp } from '../support/apps.js';
import { ARTIFACTS, seriousAxeViolations, useBrowser } from '../support/browser.js';
import { chromium } from '../support/prerequisites.js';

const browser = useBrowser();

async function openDemo(viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const server = await listeningApp({}, { events: [demoEvent()] });
  const context = await browser().newContext({ viewport, hasTouch: mobile, isMobile: mobile });
  const page = await context.newPage();
  await page.goto(new URL('/?event=demo', server.url).href);
  await page.waitForSelector('#connection[data-state="live"]');
  await page.waitForSelector('[data-seat-id="A-1"]');
  return page;
}

const pageScrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe.skipIf(!chromium.present)('the demo theatre in Chromium', () => {
  it('draws a house at 1280×800: stage, price bands with prices, wheelchair spaces, aisles; no axe violation', { timeout: 60_000 }, async () => {
    const page = await openDemo({ width: 1280, height: 800 });
    expect(await page.textContent('.stage')).toBe('Stage');
    expect(await page.textContent('#price-legend')).toMatch(/Premium\s*€65\.00.*Standard\s*€45\.00.*Balcony\s*€28\.00/);
    expect(await page.getAttribute('[data-seat-id="K-1"]', 'aria-label')).toBe('Seat 1, row K, Stalls, Standard €45.00, wheelchair space: free');
    expect(await page.getAttribute('[data-seat-id="E-9"]', 'aria-label')).toBe('Seat 9, row E, Stalls, Premium €65.00: free');
    // Rows are centred, and the aisle after A3 is a gap of one seat.
    const left = async (id: string) => (await page.locator(`[data-seat-id="${id}"]`).boundingBox())?.x ?? 0;
    const step = (await left('A-3')) - (await left('A-2'));
    expect((await left('A-4')) - (await left('A-3'))).toBeCloseTo(2 * step, 0);
    expect(await left('A-1')).toBeGreaterThan(await left('F-1'));
    expect(await pageScrollsSideways(page)).toBe(false);
    const favicon = await page.evaluate(async () => {
      const response = await fetch((document.querySelector('link[rel="icon"]') as HTMLLinkElement).href);
      return [response.status, response.headers.get('content-type')];
    });
    expect(favicon).toEqual([200, 'image/svg+xml']);

    await page.click('[data-seat-id="E-9"]');
    await page.click('[data-seat-id="E-10"]');
    await page.waitForSelector('#hold-total:text("Total €130.00")');
    await page.screenshot({ path: `${ARTIFACTS}venue-laptop.png`, fullPage: true });

    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('lets a phone buy two seats at 375×800 with real taps: no sideways page, the hold bar always in view', { timeout: 60_000 }, async () => {
    const page = await openDemo({ width: 375, height: 800 }, true);
    expect(await pageScrollsSideways(page)).toBe(false);
    await page.tap('[data-seat-id="A-7"]');
    await page.waitForSelector('[data-seat-id="A-7"][data-status="MINE"]');
    await page.tap('[data-seat-id="A-8"]');
    await page.waitForSelector('[data-seat-id="A-8"][data-status="MINE"]');
    // The hold bar is on screen without scrolling the page, and takes a real tap.
    const bar = await page.locator('#hold-panel').boundingBox();
    expect(bar && bar.y + bar.height).toBeLessThanOrEqual(800);
    expect(bar?.y).toBeGreaterThan(400);
    await page.screenshot({ path: `${ARTIFACTS}venue-phone.png` });
    await page.tap('#confirm');
    await page.waitForSelector('#message:text("Booked: A7, A8.")');
    // The booking id in the message is one long word (a run once widened the page with it).
    await page.evaluate(() => {
      const message = document.getElementById('message');
      if (message) message.textContent = `Booked: A7, A8. Booking demo.${'x'.repeat(40)}.`;
    });
    expect(await pageScrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}venue-phone-booked.png`, fullPage: true });
  });

  it('fits the whole house in a laptop screen, with no scrolling inside the map; Confirm looks primary', { timeout: 60_000 }, async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1920, height: 1080 },
    ]) {
      const page = await openDemo(viewport);
      const outside = await page.$$eval(
        '[data-seat-id]',
        (seats, { width, height }) =>
          seats
            .map((seat) => ({ id: seat.getAttribute('data-seat-id'), box: seat.getBoundingClientRect() }))
            .filter(({ box }) => box.left < 0 || box.top < 0 || box.right > width || box.bottom > height)
            .map(({ id }) => id),
        viewport,
      );
      expect(outside).toEqual([]);
      expect(await page.$eval('#map', (map) => map.scrollHeight <= map.clientHeight + 1 && map.scrollWidth <= map.clientWidth + 1)).toBe(true);
      expect(await pageScrollsSideways(page)).toBe(false);
      await page.click('[data-seat-id="E-9"]');
      await page.waitForSelector('#confirm:not([disabled])');
      const background = (selector: string) => page.$eval(selector, (element) => getComputedStyle(element).backgroundColor);
      expect(await background('#confirm')).not.toBe(await background('#extend'));
      expect(await background('#confirm')).not.toBe(await background('#release'));
      await page.screenshot({ path: `${ARTIFACTS}seat-map-${viewport.width}x${viewport.height}.png` });
    }
  });

  it('shows a phone the house first: at least 5 rows on the first screen, Fit fits the width, zoomed seats of 24 px', { timeout: 60_000 }, async () => {
    const viewport = { width: 375, height: 812 };
    const page = await openDemo(viewport, true);
    const barTop = (await page.locator('#hold-panel').boundingBox())?.y ?? 0;
    const rowsInView = await page.$$eval(
      '[data-seat-id]',
      (seats, bottom) =>
        new Set(
          seats
            .map((seat) => ({ row: seat.getAttribute('data-seat-id')?.split('-')[0], box: seat.getBoundingClientRect() }))
            .filter(({ box }) => box.top >= 0 && box.bottom <= bottom && box.left >= 0 && box.right <= window.innerWidth)
            .map(({ row }) => row),
        ).size,
      barTop,
    );
    expect(rowsInView).toBeGreaterThanOrEqual(5);
    expect(await page.isVisible('#best-form')).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}seat-map-375x812.png` });

    const venueFits = () => page.$eval('#map', (map) => (map.querySelector('.venue') as HTMLElement).offsetWidth <= map.clientWidth);
    await page.tap('#zoom-in');
    await page.tap('#zoom-in');
    await page.tap('#zoom-in');
    await page.tap('#zoom-in');
    expect(await venueFits()).toBe(false);
    const seatWidth = (await page.locator('[data-seat-id="F-10"]').boundingBox())?.width ?? 0;
    expect(seatWidth).toBeGreaterThanOrEqual(24);
    expect(await pageScrollsSideways(page)).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}seat-map-375x812-zoomed.png` });
    await page.tap('#zoom-fit');
    expect(await venueFits()).toBe(true);
    expect(await pageScrollsSideways(page)).toBe(false);
  });

  it('keeps the hold total right when a seat is given back', async () => {
    const page = await openDemo({ width: 1280, height: 800 });
    await page.click('[data-seat-id="G-10"]');
    await page.waitForSelector('[data-seat-id="G-10"][data-status="MINE"]');
    await page.click('[data-seat-id="H-10"]');
    await page.waitForSelector('#hold-total:text("Total €110.00")');
    await page.click('[data-seat-id="G-10"]');
    await page.waitForSelector('[data-seat-id="G-10"][data-status="AVAILABLE"]');
    expect(await page.textContent('#hold-summary')).toBe('1 seat held: H10');
    expect(await page.textContent('#hold-total')).toBe('Total €45.00');
  });

  it('makes Best N a new choice of N seats that replaces the page’s own, and says the truth about it', async () => {
    const page = await openDemo({ width: 1280, height: 800 });
    await page.click('[data-seat-id="K-16"]');
    await page.waitForSelector('[data-seat-id="K-16"][data-status="MINE"]');
    await page.selectOption('#best-count', '2');
    await page.click('#best-form button[type="submit"]');
    await page.waitForSelector('[data-seat-id="K-16"][data-status="AVAILABLE"]');
    await page.waitForSelector('#hold-summary:text("2 seats held")');
    const mine = await page.$$eval('[data-status="MINE"]', (seats) => seats.map((seat) => seat.getAttribute('data-seat-id')));
    expect(mine).toHaveLength(2);
    const message = (await page.textContent('#message')) ?? '';
    expect(message).toMatch(/^Found [A-Z]\d+, [A-Z]\d+, together\. They are in your hold\. They replace the seats you held\.$/);
  });

  it('walks the house with the keyboard: every seat a labelled button in layout order', async () => {
    const page = await openDemo({ width: 1280, height: 800 });
    await page.focus('[data-seat-id="A-1"]');
    const labels: string[] = [];
    for (let step = 0; step < 4; step++) {
      labels.push((await page.evaluate(() => document.activeElement?.getAttribute('data-seat-id'))) ?? '');
      await page.keyboard.press('Tab');
    }
    expect(labels).toEqual(['A-1', 'A-2', 'A-3', 'A-4']);
    await page.focus('[data-seat-id="B-5"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-seat-id="B-5"][data-status="MINE"]');
  });
});
