import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningApp } from '../support/apps.js';
import { useBrowser } from '../support/browser.js';
import { seatStatuses } from '../support/snapshot.js';
import { chromium } from '../support/prerequisites.js';

const browser = useBrowser();

/**
 * What a page of another site tries against seatlock through its visitor's browser: each attempt
 * locks one seat and reports what the page could read of the answer (or why it could not).
 */
const ATTACKS = `
const target = window.SEATLOCK;
const lock = (seatId) => JSON.stringify({ query: 'mutation { lockSeat(eventId: "play", seatId: "' + seatId + '") { __typename ... on Hold { token } } }' });
const outcome = async (attempt) => { try { return await attempt(); } catch (error) { return 'blocked: ' + error.name; } };
const viaForm = (seatId, enctype, fields) => new Promise((resolve) => {
  const frame = document.createElement('iframe');
  frame.name = 'sink-' + seatId;
  document.body.append(frame);
  const form = document.createElement('form');
  Object.assign(form, { method: 'POST', action: target, enctype, target: frame.name });
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    Object.assign(input, { type: 'hidden', name, value });
    form.append(input);
  }
  document.body.append(form);
  frame.addEventListener('load', () => {
    // A cross-origin frame's document cannot be read: the page learns nothing of the answer.
    let read = 'unreadable';
    try { read = frame.contentDocument ? frame.contentDocument.body.innerText : 'unreadable'; } catch { read = 'unreadable'; }
    resolve(read);
  }, { once: true });
  form.submit();
});
const viaSocket = (seatId) => new Promise((resolve) => {
  const socket = new WebSocket(target.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const timer = setTimeout(() => resolve('no answer'), 3000);
  socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: JSON.parse(lock(seatId)) }));
    else { clearTimeout(timer); resolve('read: ' + message.data); socket.close(); }
  };
  socket.onerror = () => { clearTimeout(timer); resolve('blocked: socket refused'); };
});
window.attacks = (async () => ({
  json: await outcome(async () => 'read: ' + (await (await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: lock('A-1') })).text())),
  plainText: await outcome(async () => 'status ' + (await fetch(target, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: lock('A-2') })).status),
  urlencodedForm: await viaForm('A-3', 'application/x-www-form-urlencoded', { query: 'mutation { lockSeat(eventId: "play", seatId: "A-3") { __typename } }' }),
  multipartForm: await viaForm('A-4', 'multipart/form-data', { operations: lock('A-4'), map: '{}' }),
  webSocket: await viaSocket('A-5'),
  getQuery: await outcome(async () => 'read: ' + (await (await fetch(target + '?query=' + encodeURIComponent('{ events { id } }'))).text())),
}))();
`;

const pageServers: Server[] = [];
afterEach(async () => {
  await Promise.all(pageServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A page of another origin (another host and port of this machine) that attacks `target`. */
interface OtherSite {
  readonly origin: string;
  target: URL | null;
}

async function otherSite(
  pageOf = (target: URL | null) =>
    `<!doctype html><meta charset="utf-8"><title>Win a prize</title><script>window.SEATLOCK = ${JSON.stringify(target?.href)};</script><script type="module">${ATTACKS}</script>`,
): Promise<OtherSite> {
  const site: { origin: string; target: URL | null } = { origin: '', target: null };
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageOf(site.target));
  });
  pageServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: another host as well as another port.
  site.origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return site;
}

async function runAttacks(origin: string): Promise<Record<string, string>> {
  const context = await browser().newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    return await page.evaluate(() => (window as unknown as { attacks: Promise<Record<string, string>> }).attacks);
  } finally {
    await context.close();
  }
}

describe.skipIf(!chromium.present)('a page of another origin, in Chromium', () => {
  it('can neither lock a seat nor read an answer, by fetch, form, multipart, WebSocket or GET', { timeout: 30_000 }, async () => {
    const server = await listeningApp();
    const site = await otherSite();
    site.target = server.url;
    const outcomes = await runAttacks(site.origin);

    expect(outcomes).toEqual({
      json: 'blocked: TypeError',
      // An opaque answer: the page learns nothing, and the server refused the body (415).
      plainText: 'status 0',
      urlencodedForm: 'unreadable',
      multipartForm: 'unreadable',
      webSocket: 'blocked: socket refused',
      getQuery: 'blocked: TypeError',
    });
    const statuses = await seatStatuses(server.client, 'play');
    expect(Object.values(statuses).every((status) => status === 'AVAILABLE')).toBe(true);
  });

  it('can lock and read answers when its origin is in CORS_ORIGINS, but still not by form', { timeout: 30_000 }, async () => {
    const site = await otherSite();
    const server = await listeningApp({ corsOrigins: [site.origin] });
    site.target = server.url;
    const outcomes = await runAttacks(site.origin);

    expect(outcomes.json).toMatch(/^read: \{"data":\{"lockSeat":\{"__typename":"Hold","token":"play\./);
    expect(outcomes.webSocket).toMatch(/^read: .*"lockSeat":\{"__typename":"Hold"/);
    expect(outcomes.getQuery).toBe('read: {"data":{"events":[{"id":"play"},{"id":"concert"}]}}');
    expect(outcomes.plainText).toBe('status 0');
    const statuses = await seatStatuses(server.client, 'play');
    expect([statuses['A-1'], statuses['A-2'], statuses['A-3'], statuses['A-4'], statuses['A-5']]).toEqual([
      'LOCKED',
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
      'LOCKED',
    ]);
  });

  it('cannot show the box office, the seat map or GraphiQL inside a frame of its own page', { timeout: 30_000 }, async () => {
    const server = await listeningApp();
    const paths = ['/admin', '/', '/graphql'];
    const site = await otherSite(
      (target) =>
        `<!doctype html><meta charset="utf-8"><title>Click to win</title>${paths
          .map((path) => `<iframe style="opacity:0.01" src="${new URL(path, target ?? undefined).href}"></iframe>`)
          .join('')}`,
    );
    site.target = server.url;
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${site.origin}/`);
      await page.waitForLoadState('load');
      const frames = page.frames().filter((frame) => frame !== page.mainFrame());
      expect(frames).toHaveLength(paths.length);
      // A frame the browser refused to show holds its own error page, never seatlock's.
      for (const frame of frames) {
        const title = await frame.title().catch(() => '');
        expect({ url: frame.url(), title }).toEqual({
          url: 'chrome-error://chromewebdata/',
          title: expect.not.stringMatching(/seatlock|box office|seat map/i),
        });
      }
    } finally {
      await context.close();
    }
    // Seen in a window of its own, each page is there.
    for (const path of paths) {
      const answer = await fetch(new URL(path, server.url), { headers: { accept: 'text/html' } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    }
  });
});
