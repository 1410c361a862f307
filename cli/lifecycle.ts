import type { Logger } from '../core/logger.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig, type DemarcConfig } from '../config/load.js';

/** Loads config or prints every problem and exits 2: nothing starts half-configured. */
export function loadOrExit(path: string): DemarcConfig {
  try {
    return loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`demarc: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Stops cleanly on SIGTERM/SIGINT (flushes the store) and exits. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'failed to stop cleanly');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/** SIGHUP re-reads the TLS certificate and key; a failed reload keeps the old ones and says why. */
export function reloadOnHangup(logger: Logger, reload: () => void): void {
  process.on('SIGHUP', () => {
    try {
      reload();
    } catch (err) {
      logger.error({ error: (err as Error).message }, 'TLS reload failed; still serving the previous certificate');
    }
  });
}

/**
 * Exits non-zero when the pipeline could not be restarted on a new inventory (already logged
 * as fatal): nothing polls any more, and a process that stays up would hide that from the
 * supervisor, which restarts demarc on the db's inventory instead.
 */
export function exitOnPipelineFailure(failed: Promise<Error>): void {
  void failed.then(() => process.exit(1));
}
