// npx tsx scripts/probes/chunked-bodies.ts [dist]: 64 clients at once each stream a 20 MiB
// chunked body (no Content-Length) to a built server; prints what they were answered, how long
// it took and the server's peak RSS. Before the byte cap: all 200, RSS 90 → 857 MB; after:
// all 413, RSS 94 → 128 MB.
import { connect } from 'node:net';
import { startBuiltServer } from './server-process.js';

const server = await startBuiltServer(process.argv[2] ?? 'dist', { DATA_FILE: ':memory:' });
const baseMb = server.peakRssMb();
const chunk = Buffer.alloc(1024 * 1024, ' ');

/** Streams `{` + 20 MiB of spaces + `}` chunked; resolves with the status line answered, if any. */
const upload = () =>
  new Promise<string>((resolve) => {
    const socket = connect(Number(server.origin.port), server.origin.hostname);
    let answer = '';
    socket.setEncoding('utf8').on('data', (data: string) => (answer += data));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer.split('\r\n')[0] || '(connection closed)'));
    socket.on('connect', async () => {
      socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n');
      for (let mib = 0; mib < 20 && !socket.destroyed; mib++) {
        if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) {
          await new Promise((resume) => {
            socket.once('drain', resume);
            socket.once('close', resume);
          });
        }
      }
      if (!socket.destroyed) socket.end('1\r\n}\r\n0\r\n\r\n');
    });
  });

const started = performance.now();
const answers = await Promise.all(Array.from({ length: 64 }, upload));
console.log(
  JSON.stringify({
    answers: Object.fromEntries([...new Set(answers)].map((answer) => [answer, answers.filter((other) => other === answer).length])),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rssMb: { atStart: Math.round(baseMb), peak: Math.round(server.peakRssMb()) },
  }),
);
server.child.kill();
