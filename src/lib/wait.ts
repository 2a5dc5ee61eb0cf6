/**
 * Waits for `promise` to settle, or `ms` at most, whichever comes first; never rejects (what the
 * promise ends with is the caller's to look at afterwards). The timer is cleared either way, so
 * nothing is left to keep the process alive.
 */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
