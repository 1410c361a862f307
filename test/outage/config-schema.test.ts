import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { outageConfigSchema } from '../../outage/config-schema.js';

describe('outage config section', () => {
  it('has the contract defaults when omitted', () => {
    const c = outageConfigSchema.parse({});
    expect(c).toMatchObject({
      confirm: { polls: 3, seconds: 0 },
      recover: { polls: 2 },
      massOutage: { minSites: 5, windowSec: 120 },
      isolation: { silentShare: 0.9 },
      carrierResponse: { limitHours: 2, strictLimitHours: 1 },
      capacity: { saturationPct: 90 },
    });
  });

  const bad: { name: string; input: unknown; path: string }[] = [
    { name: 'a typo in a key', input: { confirm: { poll: 2 } }, path: 'confirm' },
    { name: 'zero confirmation polls', input: { confirm: { polls: 0 } }, path: 'confirm.polls' },
    { name: 'a share above 100%', input: { isolation: { silentShare: 1.5 } }, path: 'isolation.silentShare' },
    { name: 'a mass outage of one site', input: { massOutage: { minSites: 1 } }, path: 'massOutage.minSites' },
  ];
  it.each(bad)('rejects $name, naming where', (c) => {
    const r = outageConfigSchema.safeParse(c.input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(c.path);
  });

  it('is part of demarc.yaml as `outage:`', () => {
    const r = configSchema.safeParse({ inventory: 'sites.csv', snmp: { profiles: {} }, outage: { confirm: { polls: 2 } } });
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    expect(r.data!.outage.confirm.polls).toBe(2);
    expect(r.data!.outage.recover.polls).toBe(2);
  });
});
