import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A built seatlock (`<dist>/main.js`) started for a probe, with its origin and memory peak. */
export interface ProbedServer {
  readonly child: ChildProcess;
  readonly origin: URL;
  /** The process's peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number;
}

/** Starts `<dist>/main.js` on a free port with `env`; resolves once it listens. */
export async function startBuiltServer(dist: string, env: Record<string, string>): Promise<ProbedServer> {
  const child = spawn(process.execPath, [join(dist, 'main.js')], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const origin = await new Promise<URL>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      const match = /at (http:\/\/[^\s"]+)/.exec(String(data));
      if (match?.[1]) resolve(new URL(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    child,
    origin,
    peakRssMb: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  };
}
