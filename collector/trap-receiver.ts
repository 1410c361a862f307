import snmp from 'net-snmp';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Site } from '../core/inventory.js';
import type { Secret } from '../core/secret.js';
import type { TrapEvent } from '../core/trap.js';
import { classifyTrap, TrapSenders, type TrapPdu } from './trap-classifier.js';

export interface TrapReceiverOptions {
  host: string;
  port: number;
  communities: readonly Secret[];
  dyingGaspOids: readonly string[];
  sites: readonly Site[];
}

export interface TrapStats {
  /** Whether the UDP socket is bound; false with the reason when it could not be. */
  listening: boolean;
  error: string | null;
  received: number;
  mapped: number;
  /** From an address that is no site's CE, OOB path or CPE: counted, logged, not trusted. */
  unknownSender: number;
  /** Wrong community, undecodable, or not a notification. */
  rejected: number;
  ignored: number;
}

/**
 * Listens for SNMP traps and informs, maps each to a site by sender address, and hands the
 * ones demarc acts on (linkDown/Up, cold/warm start, dying gasp) to its listener as evidence.
 */
export class TrapReceiver {
  private receiver: ReturnType<typeof snmp.createReceiver> | null = null;
  private readonly senders: TrapSenders;
  readonly stats: TrapStats = { listening: false, error: null, received: 0, mapped: 0, unknownSender: 0, rejected: 0, ignored: 0 };

  constructor(
    private readonly opts: TrapReceiverOptions,
    private readonly onTrap: (e: TrapEvent) => void,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.senders = new TrapSenders(opts.sites);
  }

  /**
   * Binds the socket. A port that cannot be bound (in use, privileged) is reported in the
   * stats and the log; demarc keeps polling without traps rather than refusing to start.
   */
  async start(): Promise<void> {
    this.receiver = snmp.createReceiver(
      { port: this.opts.port, address: this.opts.host, disableAuthorization: false, transport: 'udp4' },
      (error: (Error & { rinfo?: { address: string }; syscall?: string }) | null, notification: { pdu: TrapPdu; rinfo: { address: string } } | null) => {
        if (error?.syscall === 'bind') {
          this.stats.listening = false;
          this.stats.error = error.message;
          this.logger.error({ err: error.message, port: this.opts.port }, 'trap receiver cannot listen; traps are not received');
          return;
        }
        if (error || !notification) {
          this.stats.rejected++;
          this.logger.warn({ from: error?.rinfo?.address, err: error?.message }, 'rejected SNMP notification');
          return;
        }
        this.handle(notification.pdu, notification.rinfo.address);
      },
    );
    const auth = this.receiver.getAuthorizer();
    for (const c of this.opts.communities) auth.addCommunity(c.reveal());
    const socket = this.socket();
    await new Promise<void>((resolve) => {
      if (!socket) return resolve();
      socket.once('listening', () => {
        this.stats.listening = true;
        resolve();
      });
      socket.once('error', () => resolve());
    });
  }

  private socket(): import('node:dgram').Socket | undefined {
    const sockets = (this.receiver as unknown as { listener?: { sockets?: Record<string, import('node:dgram').Socket> } } | null)?.listener?.sockets;
    return sockets ? Object.values(sockets)[0] : undefined;
  }

  /** The bound UDP port (useful when configured as 0: any free port). */
  get port(): number | null {
    try {
      return this.socket()?.address().port ?? null;
    } catch {
      return null;
    }
  }

  private handle(pdu: TrapPdu, source: string): void {
    this.stats.received++;
    const sender = this.senders.lookup(source, pdu.agentAddr);
    if (!sender) {
      this.stats.unknownSender++;
      this.logger.warn({ source, agentAddr: pdu.agentAddr }, 'SNMP notification from an unknown sender; ignored');
      return;
    }
    const classified = classifyTrap(pdu, this.opts.dyingGaspOids);
    if (!classified) {
      this.stats.ignored++;
      return;
    }
    this.stats.mapped++;
    const at = this.clock.now();
    this.onTrap({
      at,
      siteId: sender.siteId,
      kind: classified.kind,
      from: sender.from,
      ifName: classified.ifName,
      detail: `${classified.kind} from ${sender.from} ${source}${classified.ifName ? ` (${classified.ifName})` : ''}`,
    });
  }

  async stop(): Promise<void> {
    const r = this.receiver;
    this.receiver = null;
    if (r && this.stats.listening) await new Promise<void>((resolve) => r.close(() => resolve()));
    this.stats.listening = false;
  }
}
