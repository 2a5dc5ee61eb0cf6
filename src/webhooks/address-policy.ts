import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless WEBHOOKS_ALLOW_PRIVATE is set: loopback, private,
 * link-local, shared (CGNAT), unspecified and multicast ranges. The server must not become a
 * probe of the operator's own network for whoever may create endpoints.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (IPv4 or IPv6, IPv4-mapped included) is one a webhook may reach only with WEBHOOKS_ALLOW_PRIVATE. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a URL cannot be a webhook endpoint; the message says what to change. */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
}

/** The longest endpoint URL kept. */
export const MAX_WEBHOOK_URL_LENGTH = 2_000;

/**
 * Checks an endpoint URL when it is created: https only, or http too with `allowPrivate`; no
 * credentials in it; an IP literal host must be public unless `allowPrivate`. A name is checked
 * again at every connection, after DNS (see `guardedLookup`), as its addresses may change.
 * @throws WebhookUrlError
 */
export function checkWebhookUrl(value: string, allowPrivate: boolean): URL {
  if (value.length > MAX_WEBHOOK_URL_LENGTH) throw new WebhookUrlError(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookUrlError('url must be an absolute URL, like https://example.com/webhooks');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookUrlError(
      allowPrivate ? 'url must start with https:// or http://' : 'url must start with https:// (http:// only with WEBHOOKS_ALLOW_PRIVATE=true)',
    );
  }
  if (url.username !== '' || url.password !== '') throw new WebhookUrlError('url must not carry a user name or password: the messages are signed instead');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (isIP(host) !== 0 ? isPrivateAddress(host) : host === 'localhost' || host.endsWith('.localhost'))) {
    throw new WebhookUrlError(`url names a loopback, private or link-local address (${host}); allowed only with WEBHOOKS_ALLOW_PRIVATE=true`);
  }
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` that refuses private addresses after DNS, at connect time, so a
 * name that resolves to the operator's network (or is changed to, later) is never connected to.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = allowPrivate ? addresses : addresses.filter((entry) => !isPrivateAddress(entry.address));
      if (allowed.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves only to loopback, private or link-local addresses; allowed only with WEBHOOKS_ALLOW_PRIVATE=true`,
        );
        refused.code = 'EPRIVATEADDRESS';
        return callback(refused, []);
      }
      if (options.all) return callback(null, allowed);
      const [first] = allowed;
      callback(null, first?.address ?? '', first?.family);
    });
  };
}
