import { describe, expect, it } from 'vitest';
import { LockSeatDocument } from '../../operations/generated/graphql.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { clientAddressKey, identifyClient } from '../../src/limits/client-identity.js';
import { inProcessApp, listeningApp } from '../support/apps.js';
import { captureLog } from '../support/log-capture.js';

const seats = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'B-1', 'B-2', 'B-3', 'B-4', 'B-5'];

describe('CLIENT_IDENTITY=forwarded-for', () => {
  it('takes the address the trusted proxy saw, whatever a client writes to the left of it', async () => {
    const { client } = inProcessApp({ maxSeatsPerClient: 3, clientIdentity: { kind: 'forwarded-for', trustedHops: 1 } });
    const outcomes: string[] = [];
    for (const [index, seatId] of seats.entries()) {
      // A bot writes a new address each time; the proxy appends the one it really saw.
      const spoofing = client.withHeaders({ 'x-forwarded-for': `198.51.100.${index + 1}, 203.0.113.7` });
      outcomes.push((await spoofing.data(LockSeatDocument, { eventId: 'play', seatId })).lockSeat.__typename);
    }
    expect(outcomes).toEqual(['Hold', 'Hold', 'Hold', ...Array(7).fill('ClientSeatLimitError')]);
  });

  it('with TRUSTED_PROXY_HOPS=2 takes the second address from the right', () => {
    const identity = { kind: 'forwarded-for', trustedHops: 2 } as const;
    const headers = (value: string) => new Headers({ 'x-forwarded-for': value });
    expect(identifyClient(identity, { headers: headers('10.9.9.9, 198.51.100.4, 10.0.0.2') })).toBe('198.51.100.4');
    // Fewer addresses than proxies: the furthest one there is.
    expect(identifyClient(identity, { headers: headers('198.51.100.4') })).toBe('198.51.100.4');
    expect(identifyClient({ kind: 'forwarded-for', trustedHops: 1 }, { headers: new Headers() })).toBe('unknown');
  });

  it('reads TRUSTED_PROXY_HOPS, and refuses it without forwarded-for', () => {
    expect(loadConfig({ CLIENT_IDENTITY: 'forwarded-for' }).clientIdentity).toEqual({ kind: 'forwarded-for', trustedHops: 1 });
    expect(loadConfig({ CLIENT_IDENTITY: 'forwarded-for', TRUSTED_PROXY_HOPS: '2' }).clientIdentity).toEqual({ kind: 'forwarded-for', trustedHops: 2 });
    expect(() => loadConfig({ CLIENT_IDENTITY: 'forwarded-for', TRUSTED_PROXY_HOPS: '0' })).toThrow(/TRUSTED_PROXY_HOPS must be a whole number from 1 to 10/);
    expect(() => loadConfig({ TRUSTED_PROXY_HOPS: '1' })).toThrow(ConfigError);
  });
});

describe('client addresses as budget keys', () => {
  it('counts IPv6 clients by their /64, and IPv4-mapped addresses as IPv4', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(clientAddressKey('192.0.2.10:51234')).toBe('192.0.2.10');
    expect(clientAddressKey('[2001:db8:1:2::9]:443')).toBe('2001:db8:1:2::/64');
  });

  it('puts two addresses of one /64 on one seat budget', async () => {
    const { client } = inProcessApp({ maxSeatsPerClient: 1, clientIdentity: { kind: 'forwarded-for', trustedHops: 1 } });
    const first = client.withHeaders({ 'x-forwarded-for': '2001:db8:5:6::1' });
    const sameNetwork = client.withHeaders({ 'x-forwarded-for': '2001:db8:5:6:ffff::2' });
    const otherNetwork = client.withHeaders({ 'x-forwarded-for': '2001:db8:5:7::1' });
    expect((await first.data(LockSeatDocument, { eventId: 'play', seatId: 'C-1' })).lockSeat.__typename).toBe('Hold');
    expect((await sameNetwork.data(LockSeatDocument, { eventId: 'play', seatId: 'C-2' })).lockSeat.__typename).toBe('ClientSeatLimitError');
    expect((await otherNetwork.data(LockSeatDocument, { eventId: 'play', seatId: 'C-3' })).lockSeat.__typename).toBe('Hold');
  });
});

describe('CLIENT_IDENTITY=ip behind a proxy', () => {
  it('warns once that every client behind the proxy shares one budget', async () => {
    const { logDestination, entries } = captureLog();
    const { url } = await listeningApp({ logLevel: 'info', production: true }, { logDestination });
    const ask = () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' }, body: '{"query":"{ events { id } }"}' });
    await ask();
    await ask();
    const warnings = entries.filter((entry) => typeof entry.msg === 'string' && entry.msg.includes('CLIENT_IDENTITY=ip'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40 });
    expect(String(warnings[0]?.msg)).toContain('CLIENT_IDENTITY=forwarded-for');
  });
});
