import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/** Admission tokens remembered as checked, at most. */
const MAX_VERIFIED = 10_000;
/** 128 bits of HMAC-SHA256, URL-safe. */
const MAC_CHARS = 22;

/** A new store's signing key: 32 random bytes, hex. */
export function newQueueKey(): string {
  return randomBytes(32).toString('hex');
}

/** A ticket of an event: its serial (0: a ticket of an event without a running room). */
export interface TicketRef {
  readonly eventId: string;
  readonly serial: number;
}

/**
 * Queue ticket ids and admission tokens, signed with the store's key (kept in the data file or
 * in Redis, made once): nothing is kept per ticket to recognise them, and any instance checks an
 * admission token without asking the store. A ticket id is `<eventId>.<serial>.<mac>`, an
 * admission token `<eventId>.<serial>.<until>.<mac>`: they name their event (and the token its
 * end), and the 128-bit MAC makes both unguessable.
 */
export class QueueCredentials {
  /** A KeyObject: an HMAC made with one costs half what one made with a Buffer does (the key is prepared once). */
  private readonly key: KeyObject;
  /** Admission tokens whose signature checked out, with their end. */
  private readonly verified = new Map<string, number>();

  constructor(keyHex: string) {
    this.key = createSecretKey(Buffer.from(keyHex, 'hex'));
  }

  ticketId(eventId: string, serial: number): string {
    const body = `${eventId}.${serial.toString(36)}`;
    return `${body}.${this.mac(`t.${body}`)}`;
  }

  /** The ticket an id names; null for a string this store never issued. */
  ticketOf(id: string): TicketRef | null {
    const parts = id.split('.');
    if (parts.length !== 3) return null;
    const [eventId = '', serialText = '', mac = ''] = parts;
    const serial = parseSerial(serialText);
    if (serial === null || !this.macMatches(`t.${eventId}.${serialText}`, mac)) return null;
    return { eventId, serial };
  }

  admissionToken(eventId: string, serial: number, until: number): string {
    const body = `${eventId}.${serial.toString(36)}.${until.toString(36)}`;
    return `${body}.${this.mac(`a.${body}`)}`;
  }

  /**
   * Whether the token admits its bearer to `eventId` at `now`: issued by this store for a ticket
   * of that event admitted from a running room (serial above 0), and not yet lapsed.
   */
  admits(token: string, eventId: string, now: number): boolean {
    // An admitted buyer locks again and again with one token: its signature is checked once.
    const until = this.verified.get(token);
    if (until !== undefined) return until > now && token.startsWith(`${eventId}.`);
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== eventId) return false;
    const [, serialText = '', untilText = '', mac = ''] = parts;
    const serial = parseSerial(serialText);
    const ends = parseSerial(untilText);
    if (serial === null || serial === 0 || ends === null || ends <= now) return false;
    if (!this.macMatches(`a.${eventId}.${serialText}.${untilText}`, mac)) return false;
    // Forgetting all at once keeps it bounded and simple; the next locks check their tokens again.
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, ends);
    return true;
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url').slice(0, MAC_CHARS);
  }

  private macMatches(data: string, mac: string): boolean {
    if (mac.length !== MAC_CHARS) return false;
    return timingSafeEqual(Buffer.from(this.mac(data)), Buffer.from(mac));
  }
}

/** A base-36 whole number as written by `toString(36)` (no sign, no leading zeros); null otherwise. */
function parseSerial(text: string): number | null {
  if (!/^(?:0|[1-9a-z][0-9a-z]{0,10})$/.test(text)) return null;
  const value = Number.parseInt(text, 36);
  return Number.isSafeInteger(value) ? value : null;
}
