/**
 * Long-lived connections per client: WebSockets and SSE streams together, so a client cannot
 * escape the cap by switching transport.
 */
export class ClientConnections {
  private readonly open = new Map<string, number>();

  constructor(
    /** Connections one client may have open at once (`MAX_SOCKETS_PER_CLIENT`). */
    readonly maxPerClient: number,
  ) {}

  /**
   * Counts a new connection of `client`, or refuses it (false) when the client has its fill.
   * The returned release must be called once, when the connection ends.
   */
  tryOpen(client: string): (() => void) | null {
    const open = this.open.get(client) ?? 0;
    if (open >= this.maxPerClient) return null;
    this.open.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    };
  }

  /** Open connections of all clients. */
  get size(): number {
    let total = 0;
    for (const count of this.open.values()) total += count;
    return total;
  }
}
