/**
 * What one client may hold at once of something it keeps for a while: its long-lived
 * connections (WebSockets and SSE streams together, so switching transport gains nothing), or
 * the bytes of its running subscriptions (what it makes the server keep in memory for them).
 */
export class ClientQuota {
  private readonly held = new Map<string, number>();

  constructor(
    /** What one client may hold at once. */
    readonly maxPerClient: number,
  ) {}

  /**
   * Counts `amount` more for `client`, or refuses (null) when that would pass its quota. The
   * returned release must be called once, when what was taken is let go.
   */
  tryTake(client: string, amount = 1): (() => void) | null {
    const held = this.held.get(client) ?? 0;
    if (held + amount > this.maxPerClient) return null;
    this.held.set(client, held + amount);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(client) ?? amount) - amount;
      if (left > 0) this.held.set(client, left);
      else this.held.delete(client);
    };
  }

  /** What every client holds now, together. */
  get total(): number {
    let total = 0;
    for (const amount of this.held.values()) total += amount;
    return total;
  }
}
