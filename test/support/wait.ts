/**
 * Until `condition` holds, checking every `intervalMs`; past `timeoutMs` it throws with what was
 * awaited (`awaited()`, asked then, so it can say what it saw). Free of vitest, so scripts that
 * share test helpers (the crash soak) can wait the same way.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs, awaited, intervalMs = 10 }: { timeoutMs: number; awaited: () => string; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${awaited()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
