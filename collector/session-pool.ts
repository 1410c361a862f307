import type { Logger } from '../core/logger.js';
import type { SnmpEndpoint } from '../core/inventory.js';
import { endpointKey } from './endpoint-key.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { installOidCodecCache } from './oid-codec-cache.js';
import { openScraper, SnmpRequestError, type SnmpFailure, type SnmpScraper } from './snmp-session.js';

export interface PoolStats {
  requests: number;
  failures: Record<SnmpFailure, number>;
  /** Replies that could not be decoded (malformed BER, truncated), counted as they arrive. */
  undecodable: number;
  sessions: number;
}

/**
 * One SNMP session per device (host, port, credentials), kept open so SNMPv3 engine
 * discovery happens once, not per poll. At most one request in flight per device and a
 * global limit across all devices.
 */
export class SessionPool {
  private readonly sessions = new Map<string, SnmpScraper>();
  /** Each device's last request: the next one for the device chains behind it. */
  private readonly deviceQueues = new Map<string, Promise<unknown>>();
  private readonly limit: ConcurrencyLimit;
  private readonly counters: PoolStats = {
    requests: 0,
    failures: { timeout: 0, 'malformed-reply': 0, 'auth-failed': 0, 'not-in-time-window': 0, 'agent-error': 0, 'socket-error': 0 },
    undecodable: 0,
    sessions: 0,
  };

  constructor(
    private readonly profiles: ReadonlyMap<string, SnmpProfile>,
    concurrency: number,
    private readonly logger: Logger,
  ) {
    this.limit = new ConcurrencyLimit(concurrency);
    installOidCodecCache();
  }


  private scraper(e: SnmpEndpoint): SnmpScraper {
    const key = endpointKey(e);
    let s = this.sessions.get(key);
    if (!s) {
      const profile = this.profiles.get(e.profile);
      // The inventory was validated against the profiles at load time.
      if (!profile) throw new Error(`SNMP profile "${e.profile}" not configured`);
      s = openScraper(e, profile, (err) => {
        this.counters.undecodable++;
        this.logger.warn({ device: key, err: err.message }, 'undecodable SNMP reply');
      });
      this.sessions.set(key, s);
      this.counters.sessions = this.sessions.size;
    }
    return s;
  }

  /** Drops a device's session so the next request starts afresh (new SNMPv3 engine discovery). */
  recycle(e: SnmpEndpoint): void {
    const key = endpointKey(e);
    this.sessions.get(key)?.close();
    this.sessions.delete(key);
    this.counters.sessions = this.sessions.size;
  }

  /**
   * Runs `fn` against the device's session, after the device's previous request and within
   * the global limit. After a reboot an SNMPv3 agent's engine boots/time restart and the old
   * session's replies fall outside the time window: rediscover once instead of giving up.
   */
  request<T>(e: SnmpEndpoint, fn: (s: SnmpScraper) => Promise<T>): Promise<T> {
    const key = endpointKey(e);
    const previous = this.deviceQueues.get(key);
    const attempt = () => this.limit.run(() => this.attempt(e, fn));
    // Whatever happened to the device's previous request, this one runs after it.
    const run = previous ? previous.then(attempt, attempt) : attempt();
    this.deviceQueues.set(key, run);
    const done = () => {
      if (this.deviceQueues.get(key) === run) this.deviceQueues.delete(key);
    };
    run.then(done, done);
    return run;
  }

  private async attempt<T>(e: SnmpEndpoint, fn: (s: SnmpScraper) => Promise<T>): Promise<T> {
    this.counters.requests++;
    try {
      return await fn(this.scraper(e));
    } catch (err) {
      if (err instanceof SnmpRequestError && (err.failure === 'not-in-time-window' || err.failure === 'auth-failed')) {
        this.recycle(e);
        this.counters.requests++;
        try {
          return await fn(this.scraper(e));
        } catch (again) {
          this.count(again);
          throw again;
        }
      }
      this.count(err);
      throw err;
    }
  }

  private count(err: unknown): void {
    if (err instanceof SnmpRequestError) this.counters.failures[err.failure]++;
  }

  stats(): PoolStats {
    return { ...this.counters, failures: { ...this.counters.failures } };
  }

  close(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}
