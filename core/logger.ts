import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

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
    opts.destination ?? defaultDestination(),
  );
}

/**
 * A person at a terminal reads one line per event (pino-pretty, synchronous so the last lines
 * before an exit are not lost); files, pipes and containers get JSON, one object per line.
 */
function defaultDestination(): pino.DestinationStream | undefined {
  if (!process.stdout.isTTY) return undefined;
  return pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' });
}

/** For library code and tests that want no output. */
export const silentLogger: Logger = pino({ level: 'silent' });
