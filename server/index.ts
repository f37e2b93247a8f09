import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

/** Boot only: read configuration, start, stop cleanly on a signal. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const server = await startServer(config);
  server.logger.info(
    { url: config.publicUrl ?? server.url, dataDir: config.dataDir },
    `Accord is running: open ${config.publicUrl ?? `http://localhost:${server.port}`}`,
  );
  const stop = async (signal: string) => {
    server.logger.info({ signal }, 'stopping');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('Accord failed to start:', err);
  process.exit(1);
});
