import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { headerValue, type RequestHeaders } from '../lib/headers.js';

/**
 * How a client is recognised for per-client limits: `ip` (the connection's address; the
 * default), `forwarded-for` (the address the nearest trusted proxy saw: the `trustedHops`-th
 * address from the right of X-Forwarded-For), or `header:<name>` (a client id header the app
 * sends, e.g. `header:x-client-id`).
 */
export type ClientIdentity =
  | { readonly kind: 'ip' }
  | { readonly kind: 'forwarded-for'; readonly trustedHops: number }
  | { readonly kind: 'header'; readonly name: string };

/** A request to identify: the Node request (HTTP and WebSocket), or a fetch Request's headers. */
export interface RequestToIdentify {
  readonly req?: Pick<IncomingMessage, 'headers' | 'socket'> | undefined;
  readonly headers?: RequestHeaders | undefined;
}

/** Longer than any address; what a proxy writes is trusted, but not to be a megabyte. */
const MAX_ADDRESS_LENGTH = 64;

/**
 * One client's address as a budget key: an IPv4-mapped IPv6 address is its IPv4 address, and an
 * IPv6 address counts by its /64 (one household or one server gets a whole /64 and can pick any
 * address in it, so per-address budgets would be no budget at all).
 */
export function clientAddressKey(address: string): string {
  // Every request asks; a lock storm comes from a few thousand addresses at most.
  const known = addressKeys.get(address);
  if (known !== undefined) return known;
  if (addressKeys.size >= MAX_REMEMBERED_ADDRESSES) addressKeys.clear();
  const key = addressKeyOf(address);
  addressKeys.set(address, key);
  return key;
}

const addressKeys = new Map<string, string>();
const MAX_REMEMBERED_ADDRESSES = 10_000;

function addressKeyOf(address: string): string {
  let value = address.trim().slice(0, MAX_ADDRESS_LENGTH);
  // Some proxies write ports ("203.0.113.7:51234", "[2001:db8::1]:443"); the port is not the client.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  if (withPort?.[1]) value = withPort[1];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(value)) return value;
  if (isIPv6(value)) return `${ipv6Groups(value).slice(0, 4).join(':')}::/64`;
  return value;
}

/** The eight groups of an IPv6 address, lower case without leading zeros. */
function ipv6Groups(address: string): string[] {
  const withoutZone = address.split('%')[0] ?? address;
  const [head = '', tail] = withoutZone.toLowerCase().split('::');
  const parts = (text: string) => (text === '' ? [] : text.split(':'));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4 forms) is two groups; only the first four matter here.
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

/**
 * The client id of a request: from the Node request when there is one (HTTP and WebSocket),
 * else from the fetch Request's headers (in-process calls). Unknown parts give "unknown".
 */
export function identifyClient(identity: ClientIdentity, request: RequestToIdentify): string {
  const headers = request.req?.headers ?? request.headers;
  const socketAddress = request.req?.socket.remoteAddress;
  switch (identity.kind) {
    case 'header':
      return (headers && headerValue(headers, identity.name)?.trim()) || 'unknown';
    case 'forwarded-for': {
      // Each proxy appends the address that connected to it; what is left of the trusted ones'
      // entries was written by the client and proves nothing.
      const chain = (headers && headerValue(headers, 'x-forwarded-for')) ?? '';
      const addresses = chain
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const seen = addresses.length >= identity.trustedHops ? addresses[addresses.length - identity.trustedHops] : addresses[0];
      const address = seen ?? socketAddress;
      return address ? clientAddressKey(address) : 'unknown';
    }
    case 'ip':
      return socketAddress ? clientAddressKey(socketAddress) : 'unknown';
  }
}

/**
 * `identifyClient` for one configuration, that says once (through `warn`) when requests come
 * through a proxy while every client is identified by its connection's address: behind a load
 * balancer that puts every buyer on one budget.
 */
export function createClientIdentifier(identity: ClientIdentity, warn: (message: string) => void): (request: RequestToIdentify) => string {
  let warned = identity.kind !== 'ip';
  return (request) => {
    if (!warned) {
      const headers = request.req?.headers ?? request.headers;
      if (headers && (headerValue(headers, 'x-forwarded-for') !== undefined || headerValue(headers, 'forwarded') !== undefined)) {
        warned = true;
        warn(
          'requests arrive through a proxy (X-Forwarded-For or Forwarded) but CLIENT_IDENTITY=ip: every client behind it shares one set of per-client limits; set CLIENT_IDENTITY=forwarded-for (and TRUSTED_PROXY_HOPS if there is more than one proxy)',
        );
      }
    }
    return identifyClient(identity, request);
  };
}
