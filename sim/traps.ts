import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { Logger } from '../core/logger.js';
import type { TrapKind } from '../core/trap.js';
import type { SiteDevice } from './device.js';
import { CeView } from './device-views.js';
import { OID } from './mib.js';

/**
 * SNMPv2c traps as the simulated CEs would send them, to the collector's trap receiver.
 * A trap goes out at each transition on a site's fault timeline, from the CE's own address
 * (so demarc maps the sender to the site), and only when a real CE could deliver it:
 * powered, agent alive, a path to the center (WAN up, or the OOB path), center reachable.
 */

export const TRAP_OID = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  warmStart: '1.3.6.1.6.3.1.1.5.2',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
} as const;

/** HUAWEI-ETHOAM-MIB hwDot3ahEfmRemoteDyingGaspEvent: the vendor's dying-gasp notification. */
export const DYING_GASP_TRAP_OID = '1.3.6.1.4.1.2011.5.25.136.1.6.8';

export interface TrapTarget {
  host: string;
  port: number;
  community?: string;
  /** Override the dying-gasp notification OID. */
  dyingGaspOid?: string;
}

export interface SentTrap {
  at: number;
  siteId: string;
  kind: TrapKind;
}

export class TrapSender {
  private readonly sessions = new Map<string, snmp.Session>();
  private timer: NodeJS.Timeout | null = null;
  private checkedUpTo: number;
  private stopped = false;
  /** The last 1000 traps sent, oldest first. */
  readonly sent: SentTrap[] = [];

  constructor(
    private readonly target: TrapTarget,
    private readonly devices: readonly SiteDevice[],
    private readonly views: ReadonlyMap<string, CeView>,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.checkedUpTo = now();
  }

  /** Handles transitions up to now and sets a timer for the next one (call after any fault change). */
  reschedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const t = this.now();
    for (const d of this.devices)
      for (const x of d.windows.boundaries) if (x > this.checkedUpTo && x <= t) this.transition(d, x);
    this.checkedUpTo = t;
    let next = Infinity;
    for (const d of this.devices) for (const x of d.windows.boundaries) if (x > t && x < next) next = x;
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.reschedule(), Math.max(0, next - this.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }

  private transition(d: SiteDevice, at: number): void {
    const before = d.conditions(at - 1);
    const after = d.conditions(at);
    const w = d.windows;
    const hasOob = d.site.oob !== null;
    if (after.nocIsolated) return; // the center cannot receive anything
    if (before.powered && !after.powered) {
      // The last gasp leaves over the WAN while the power fails; the OOB radio dies too.
      if (before.wanOperUp && before.oob.answer !== false) this.send(d, at - 1, 'dyingGasp');
      return;
    }
    const alive = after.powered && after.oob.answer !== false;
    const canReach = after.wanOperUp || hasOob;
    if (!alive || !canReach) return;
    if (w.linkUps.includes(at)) this.send(d, at, 'coldStart');
    else if (w.agentRestarts.includes(at)) this.send(d, at, 'warmStart');
    if (before.powered && before.wanOperUp !== after.wanOperUp) this.send(d, at, after.wanOperUp ? 'linkUp' : 'linkDown');
  }

  private send(d: SiteDevice, at: number, kind: TrapKind): void {
    const view = this.views.get(d.site.id)!;
    const ifIndex = d.wanIfIndexAt(at);
    const row = view.row(at, ifIndex);
    const varbinds: snmp.Varbind[] = [];
    let oid: string;
    if (kind === 'linkDown' || kind === 'linkUp') {
      oid = TRAP_OID[kind];
      varbinds.push(
        { oid: `${OID.ifEntry}.1.${ifIndex}`, type: snmp.ObjectType.Integer, value: ifIndex },
        { oid: `${OID.ifEntry}.7.${ifIndex}`, type: snmp.ObjectType.Integer, value: row?.adminUp ? 1 : 2 },
        { oid: `${OID.ifEntry}.8.${ifIndex}`, type: snmp.ObjectType.Integer, value: row?.operUp ? 1 : 2 },
        { oid: `${OID.ifXEntry}.1.${ifIndex}`, type: snmp.ObjectType.OctetString, value: d.site.ce.ifName },
      );
    } else if (kind === 'dyingGasp') {
      oid = this.target.dyingGaspOid ?? DYING_GASP_TRAP_OID;
      varbinds.push(
        { oid: `${OID.ifEntry}.2.${ifIndex}`, type: snmp.ObjectType.OctetString, value: d.site.ce.ifName },
        { oid: `${OID.sysName}.0`, type: snmp.ObjectType.OctetString, value: view.sysName },
      );
    } else oid = TRAP_OID[kind as 'coldStart' | 'warmStart'];
    // net-snmp replaces an upTime of 0 by its own process uptime: a fresh agent says 1.
    const upTime = Math.max(1, view.uptimeCs(at) % 4294967296);
    this.session(d).trap(oid, varbinds, { upTime }, (error) => {
      if (error) this.logger.warn({ site: d.site.id, kind, err: error.message }, 'trap not sent');
    });
    this.sent.push({ at, siteId: d.site.id, kind });
    if (this.sent.length > 1000) this.sent.splice(0, this.sent.length - 1000);
    this.logger.debug({ site: d.site.id, kind, at: new Date(at).toISOString() }, 'trap sent');
  }

  private session(d: SiteDevice): snmp.Session {
    let s = this.sessions.get(d.site.id);
    if (!s) {
      const host = d.site.ce.device.host;
      s = snmp.createSession(this.target.host, this.target.community ?? 'public', {
        version: snmp.Version2c,
        trapPort: this.target.port,
        transport: isIP(this.target.host) === 6 ? 'udp6' : 'udp4',
        sourceAddress: host === 'localhost' ? '127.0.0.1' : host,
      });
      s.on('error', (e: Error) => this.logger.warn({ site: d.site.id, err: e.message }, 'trap session error'));
      this.sessions.set(d.site.id, s);
    }
    return s;
  }
}
