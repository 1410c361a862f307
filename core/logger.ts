import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (pino). Paths that could carry personal data or credentials are
 * redacted at the source; Secret values print as '<secret>' on their own.
 */
export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'demarc',
      level: opts.level ?? process.env.DEMARC_LOG_LEVEL ?? 'info',
      redact: { paths: ['*.community', '*.authKey', '*.privKey', '*.password', '*.contact', '*.phone'], censor: '<redacted>' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}

/** For library code and tests that want no output. */
export const silentLogger: Logger = pino({ level: 'silent' });
