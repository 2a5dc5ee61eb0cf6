import { Writable } from 'node:stream';

/** Where an app writes its log lines in a test (AppOptions.logDestination), and those lines, parsed. */
export function captureLog(): { logDestination: Writable; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) entries.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logDestination, entries };
}
