import type { Logger } from '../core/logger.js';
import type { SnmpEndpoint } from '../core/inventory.js';
import { endpointKey } from './endpoint-key.js';
import type { SnmpProfile } from '../core/snmp-profile.js';
import { DeviceLanes, type Lane } from './device-lanes.js';
import { installOidCodecCache } from './oid-codec-cache.js';
import { SharedUdpTransport, type DropReason } from './shared-udp.js';
import { openScraper, SnmpRequestError, type SnmpFailure, type SnmpScraper } from './snmp-session.js';

/** UDP sockets per address family that all of a pool's sessions share (collector.sharedSockets). */
export const DEFAULT_SHARED_SOCKETS = 4;

export interface PoolStats {
  requests: number;
  failures: Record<SnmpFailure, number>;
  /** Replies that could not be decoded (malformed BER, truncated), counted as they arrive. */
  undecodable: number;
  /** Replies dropped by the shared sockets' demux: an id no session is waiting for (a late reply), or the right id from the wrong address. */
  dropped: Record<Exclude<DropReason, 'undecodable'>, number>;
  sessions: number;
  /** UDP sockets open: the shared ones, or one per session when sharing is off. */
  sockets: number;
}

/**
 * One SNMP session per device (host, port, credentials), kept open so SNMPv3 engine
 * discovery happens once, not per poll. At most one request in flight per device and a
 * global limit across all devices (see device-lanes.ts). The sessions share `sharedSockets`
 * UDP sockets per address family (shared-udp.ts); 0 gives each session its own, as net-snmp does.
 */
export class SessionPool {
  private readonly lanes: DeviceLanes<SnmpScraper | null>;
  private readonly counters: PoolStats = {
    requests: 0,
    failures: { timeout: 0, 'malformed-reply': 0, 'auth-failed': 0, 'not-in-time-window': 0, 'agent-error': 0, 'socket-error': 0 },
    undecodable: 0,
    dropped: { 'unknown-id': 0, 'wrong-source': 0 },
    sessions: 0,
    sockets: 0,
  };
  private readonly shared: SharedUdpTransport | null;

  private closed = false;

  constructor(
    private readonly profiles: ReadonlyMap<string, SnmpProfile>,
    concurrency: number,
    private readonly logger: Logger,
    sharedSockets: number = DEFAULT_SHARED_SOCKETS,
  ) {
    this.lanes = new DeviceLanes<SnmpScraper | null>(concurrency, () => null);
    this.shared = sharedSockets > 0 ? new SharedUdpTransport(sharedSockets, (why, from) => this.dropped(why, from)) : null;
    installOidCodecCache();
  }

  private scraper(lane: Lane<SnmpScraper | null>, e: SnmpEndpoint): SnmpScraper {
    // A closed pool opens no new session: work still queued when demarc stops fails at once.
    if (this.closed) throw new Error('SNMP session pool closed');
    if (lane.state) return lane.state;
    const profile = this.profiles.get(e.profile);
    // The inventory was validated against the profiles at load time.
    if (!profile) throw new Error(`SNMP profile "${e.profile}" not configured`);
    const s = openScraper(e, profile, (err) => {
      this.counters.undecodable++;
      this.logger.warn({ device: lane.key, err: err.message }, 'undecodable SNMP reply');
    }, this.shared);
    lane.state = s;
    this.counters.sessions++;
    return s;
  }

  /** Drops a device's session so the next request starts afresh (new SNMPv3 engine discovery). */
  recycle(e: SnmpEndpoint): void {
    this.drop(this.lanes.lane(endpointKey(e)));
  }

  private drop(lane: Lane<SnmpScraper | null>): void {
    if (!lane.state) return;
    lane.state.close();
    lane.state = null;
    this.counters.sessions--;
  }

  /**
   * Runs `fn` against the device's session, after the device's previous request and within
   * the global limit. After a reboot an SNMPv3 agent's engine boots/time restart and the old
   * session's replies fall outside the time window: rediscover once instead of giving up.
   */
  request<T>(e: SnmpEndpoint, fn: (s: SnmpScraper) => Promise<T>): Promise<T> {
    return this.lanes.submit(this.lanes.lane(endpointKey(e)), (lane) => this.attempt(lane, e, fn));
  }

  private attempt<T>(lane: Lane<SnmpScraper | null>, e: SnmpEndpoint, fn: (s: SnmpScraper) => Promise<T>): Promise<T> {
    this.counters.requests++;
    return fn(this.scraper(lane, e)).catch((err: unknown) => {
      if (err instanceof SnmpRequestError && (err.failure === 'not-in-time-window' || err.failure === 'auth-failed')) {
        this.drop(lane);
        this.counters.requests++;
        return fn(this.scraper(lane, e)).catch((again: unknown) => {
          this.count(again);
          throw again;
        });
      }
      this.count(err);
      throw err;
    });
  }

  private dropped(why: DropReason, from: string): void {
    if (why === 'undecodable') {
      this.counters.undecodable++;
      this.logger.warn({ device: from }, 'undecodable SNMP reply');
    } else {
      this.counters.dropped[why]++;
      // A late reply after a timeout is ordinary; the right id from another address is not.
      if (why === 'wrong-source') this.logger.warn({ from }, 'SNMP reply from an address the request was not sent to, dropped');
      else this.logger.debug({ from }, 'SNMP reply no request waits for, dropped');
    }
  }

  private count(err: unknown): void {
    if (err instanceof SnmpRequestError) this.counters.failures[err.failure]++;
  }

  stats(): PoolStats {
    const sockets = this.shared ? this.shared.stats().sockets : this.counters.sessions;
    return { ...this.counters, failures: { ...this.counters.failures }, dropped: { ...this.counters.dropped }, sockets };
  }

  close(): void {
    this.closed = true;
    for (const lane of this.lanes.all()) this.drop(lane);
    this.shared?.close();
  }
}
