import snmp from 'net-snmp';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyTrap } from '../../collector/trap-classifier.js';
import { TrapReceiver } from '../../collector/trap-receiver.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { Secret } from '../../core/secret.js';
import type { TrapEvent } from '../../core/trap.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const GASP = '1.3.6.1.4.1.9.9.41.2.0.1';

describe('classifyTrap', () => {
  const v2 = (trapOid: string, extra: { oid: string; value: unknown }[] = []) => ({
    type: 167,
    varbinds: [{ oid: '1.3.6.1.2.1.1.3.0', value: 100 }, { oid: '1.3.6.1.6.3.1.1.4.1.0', value: trapOid }, ...extra],
  });
  it.each([
    { name: 'v2c linkDown with ifIndex', pdu: v2('1.3.6.1.6.3.1.1.5.3', [{ oid: '1.3.6.1.2.1.2.2.1.1.3', value: 3 }]), want: { kind: 'linkDown', ifName: 'ifIndex 3' } },
    { name: 'v2c linkUp with ifDescr', pdu: v2('1.3.6.1.6.3.1.1.5.4', [{ oid: '1.3.6.1.2.1.2.2.1.2.3', value: Buffer.from('Gi0/0/0') }]), want: { kind: 'linkUp', ifName: 'Gi0/0/0' } },
    { name: 'v2c coldStart', pdu: v2('1.3.6.1.6.3.1.1.5.1'), want: { kind: 'coldStart', ifName: null } },
    { name: 'v2c vendor dying gasp', pdu: v2(GASP), want: { kind: 'dyingGasp', ifName: null } },
    { name: 'v2c unknown enterprise trap', pdu: v2('1.3.6.1.4.1.99.1'), want: null },
    { name: 'v1 generic linkDown', pdu: { type: 164, generic: 2, specific: 0, enterprise: '1.3.6.1.4.1.9', varbinds: [] }, want: { kind: 'linkDown', ifName: null } },
    { name: 'v1 enterprise-specific dying gasp', pdu: { type: 164, generic: 6, specific: 1, enterprise: '1.3.6.1.4.1.9.9.41.2', varbinds: [] }, want: { kind: 'dyingGasp', ifName: null } },
  ])('$name', ({ pdu, want }) => {
    expect(classifyTrap(pdu, [GASP])).toEqual(want);
  });
});

describe('TrapReceiver over real UDP', () => {
  let receiver: TrapReceiver | null = null;
  afterEach(async () => receiver?.stop());

  function sendTrap(from: string, community: string, trapOid: string, version: 0 | 1 = snmp.Version2c): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = snmp.createSession('127.0.0.1', community, { trapPort: 21262, version, sourceAddress: from });
      s.on('error', () => undefined);
      s.trap(trapOid, [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: snmp.ObjectType.Integer, value: 3 }], (err) => {
        s.close();
        if (err) reject(err);
        else resolve();
      });
    });
  }

  it('maps traps to sites by sender, counts unknown senders and wrong communities', async () => {
    const { config } = writeTempConfig({ snmp: { profiles: { v2c: { version: '2c', community: 'x' } } } }, [
      siteRow({ site_id: 'S1', ce_host: '127.0.3.1', ce_port: '161', oob_host: '127.0.4.1', oob_port: '161' }),
      siteRow({ site_id: 'S2', ce_host: '127.0.3.2', ce_port: '161' }),
    ]);
    const got: TrapEvent[] = [];
    receiver = new TrapReceiver(
      { host: '127.0.0.1', port: 21262, communities: [new Secret('trap-secret')], dyingGaspOids: [GASP], sites: config.inventory.sites },
      (e) => got.push(e),
      systemClock,
      silentLogger,
    );
    await receiver.start();
    expect(receiver.stats.listening).toBe(true);
    await sendTrap('127.0.3.1', 'trap-secret', snmp.TrapType.LinkDown as unknown as string);
    await sendTrap('127.0.4.1', 'trap-secret', GASP);
    await sendTrap('127.0.3.2', 'trap-secret', snmp.TrapType.ColdStart as unknown as string);
    await sendTrap('127.0.9.9', 'trap-secret', snmp.TrapType.LinkUp as unknown as string); // not a site
    await sendTrap('127.0.3.2', 'wrong-community', snmp.TrapType.LinkUp as unknown as string);
    await sendTrap('127.0.3.1', 'trap-secret', snmp.TrapType.LinkDown as unknown as string, snmp.Version1);
    await expect.poll(() => got.length + receiver!.stats.unknownSender + receiver!.stats.rejected, { timeout: 3000 }).toBe(6);

    expect(got.map((e) => [e.siteId, e.kind, e.from])).toEqual([
      ['S1', 'linkDown', 'ce'],
      ['S1', 'dyingGasp', 'oob'],
      ['S2', 'coldStart', 'ce'],
      ['S1', 'linkDown', 'ce'],
    ]);
    expect(got[0]!.ifName).toBe('ifIndex 3');
    expect(receiver.stats.unknownSender).toBe(1);
    expect(receiver.stats.rejected).toBe(1);
  });
});

describe('TrapReceiver on a port it cannot bind', () => {
  it('reports it is not listening instead of crashing', async () => {
    const { config } = writeTempConfig({ snmp: { profiles: { v2c: { version: '2c', community: 'x' } } } }, [siteRow({ site_id: 'S1', ce_host: '127.0.3.1', ce_port: '161' })]);
    const first = new TrapReceiver({ host: '127.0.0.1', port: 21263, communities: [], dyingGaspOids: [], sites: config.inventory.sites }, () => undefined, systemClock, silentLogger);
    const second = new TrapReceiver({ host: '127.0.0.1', port: 21263, communities: [], dyingGaspOids: [], sites: config.inventory.sites }, () => undefined, systemClock, silentLogger);
    await first.start();
    await second.start();
    expect(first.stats.listening).toBe(true);
    expect(second.stats.listening).toBe(false);
    expect(second.stats.error).toMatch(/EADDRINUSE/);
    await second.stop();
    await first.stop();
  });
});
