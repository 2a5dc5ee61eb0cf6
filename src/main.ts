import { createApp, describeStart } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ListenError } from './server/http/http.js';
import { DataFileError } from './store/embedded/sqlite-file.js';
import { LayoutError } from './venue/layout.js';

// A file-size limit (ulimit -f, systemd's LimitFSIZE) reached by the data file: the write then
// fails (EFBIG) and is answered STORE_UNAVAILABLE like a full disk, instead of the signal's
// default action killing the server.
process.on('SIGXFSZ', () => undefined);

let app: ReturnType<typeof createApp> | undefined;
try {
  const config = loadConfig();
  app = createApp(config, { webhookSender: 'worker' });
  const started = app;
  const url = await started.start();
  started.logger.info(`seatlock: GraphQL${config.graphiql ? ' and GraphiQL' : ''} at ${url.href}`);
  started.logger.info(await describeStart(started, url));
  const shutdown = (signal: string): void => {
    started.logger.info(`seatlock: ${signal}, shutting down`);
    void started.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof LayoutError || error instanceof DataFileError || error instanceof ListenError)) throw error;
  console.error(`seatlock: cannot start: ${error.message}`);
  // What was opened (the data file and its lock, Redis connections) is let go first.
  await app?.stop().catch(() => undefined);
  process.exit(1);
}
