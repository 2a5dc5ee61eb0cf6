import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DataFileError } from './store/embedded/sqlite-file.js';
import { LayoutError } from './venue/layout.js';

try {
  const app = createApp(loadConfig());
  const url = await app.start();
  console.log(`seatlock: GraphQL and GraphiQL at ${url.href}`);
  const shutdown = (signal: string): void => {
    console.log(`seatlock: ${signal}, shutting down`);
    void app.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof LayoutError || error instanceof DataFileError)) throw error;
  console.error(`seatlock: cannot start: ${error.message}`);
  process.exit(1);
}
