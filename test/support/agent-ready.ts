import snmp from 'net-snmp';

/**
 * Polls an SNMP agent (v2c GET of sysUpTime) until it answers or the deadline passes: how the
 * test and benchmark helpers know a freshly started snmpd or snmpsimd is ready.
 */
export async function agentAnswers(host: string, port: number, community: string, deadlineMs: number): Promise<boolean> {
  while (Date.now() < deadlineMs) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = snmp.createSession(host, community, { port, timeout: 300, retries: 0, version: snmp.Version2c });
      s.on('error', () => undefined);
      s.get(['1.3.6.1.2.1.1.3.0'], (err) => {
        s.close();
        resolve(!err);
      });
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
