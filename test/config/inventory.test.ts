import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseInventoryCsv } from '../../config/inventory.js';
import { loadConfig } from '../../config/load.js';
import { ConfigError } from '../../config/config-error.js';
import { demoInventoryRows, toInventoryCsv } from '../../sim/demo-inventory.js';

const run = promisify(execFile);
const profiles = new Set(['ce-v2c', 'ce-v3', 'headend-v3', 'carrier-cpe']);
const goodCsv = toInventoryCsv(demoInventoryRows({ sites: 6 }));

/** Replaces one field of one data row (0-based) of a CSV. */
function withField(csv: string, row: number, column: string, value: string): string {
  const lines = csv.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const cells = lines[row + 1]!.split(',');
  cells[header.indexOf(column)] = value;
  lines[row + 1] = cells.join(',');
  return lines.join('\n') + '\n';
}

describe('inventory CSV', () => {
  it('accepts the demo inventory', () => {
    const { inventory, problems } = parseInventoryCsv(goodCsv, 'sites.csv', profiles);
    expect(problems).toEqual([]);
    expect(inventory?.sites).toHaveLength(6);
    const s = inventory!.sites[1]!;
    expect(s.circuit.bandwidthMbps).toBe(70);
    expect(s.ce.ifName).toBe('GigabitEthernet0/0/0');
    expect(s.cpe?.lineIfName).toBe('GE0/0/1');
  });

  it('lists every bad row with its row number, column and reason', () => {
    let csv = goodCsv;
    csv = withField(csv, 1, 'site_id', 'D01-R001'); // duplicate of row 2
    csv = withField(csv, 2, 'ce_host', 'not a host!');
    csv = withField(csv, 3, 'ce_port', '70000');
    csv = withField(csv, 4, 'ce_snmp_profile', 'nope');
    csv = withField(csv, 5, 'bandwidth_mbps', '-70');
    csv = withField(csv, 0, 'activation_date', '2026-02-30');
    csv = withField(csv, 2, 'circuit_id', 'XJ70M-2026-001');
    const { inventory, problems } = parseInventoryCsv(csv, 'sites.csv', profiles);
    expect(inventory).toBeNull();
    const found = problems.map((p) => `${p.row}:${p.where}`);
    expect(found).toEqual(
      expect.arrayContaining(['3:site_id', '4:ce_host', '5:ce_port', '6:ce_snmp_profile', '7:bandwidth_mbps', '2:activation_date', '4:circuit_id']),
    );
    expect(problems).toHaveLength(7);
    expect(problems.find((p) => p.where === 'site_id')?.reason).toMatch(/duplicate.*first on row 2/);
    expect(problems.find((p) => p.where === 'ce_snmp_profile')?.reason).toMatch(/unknown SNMP profile "nope"/);
  });

  it('reports missing and unknown columns against the header', () => {
    const csv = goodCsv.replace('carrier_group', 'carrier_grp');
    const { problems } = parseInventoryCsv(csv, 'sites.csv', profiles);
    expect(problems.map((p) => `${p.row}:${p.where}:${p.reason}`)).toEqual(
      expect.arrayContaining(['1:carrier_group:missing required column', '1:carrier_grp:unknown column']),
    );
  });

  it('reports a row with the wrong number of fields', () => {
    const lines = goodCsv.trimEnd().split('\n');
    lines[2] = lines[2]!.split(',').slice(0, 5).join(',');
    const { problems } = parseInventoryCsv(lines.join('\n'), 'sites.csv', profiles);
    expect(problems).toEqual([expect.objectContaining({ row: 3, where: '*' })]);
  });
});

describe('config file', () => {
  it('loads the demo config: 120 loopback-only sites, secrets hidden', () => {
    const c = loadConfig(join(import.meta.dirname, '../../config/demarc.yaml'), {});
    expect(c.inventory.sites).toHaveLength(120);
    for (const s of c.inventory.sites) {
      for (const host of [s.ce.device.host, s.circuit.headend.device.host, s.oob?.host, s.cpe?.device.host]) {
        if (host) expect(host).toMatch(/^127\./);
      }
      expect(s.circuit.bandwidthMbps).toBe(70);
    }
    const v3 = c.profiles.get('ce-v3');
    expect(JSON.stringify(v3)).not.toContain('demo-auth-key');
    expect(String(v3 && 'authKey' in v3 ? v3.authKey : '')).toBe('<secret>');
  });

  it('takes secrets from the environment', () => {
    const c = loadConfig(join(import.meta.dirname, '../../config/demarc.yaml'), { DEMARC_CE_COMMUNITY: 'from-env' });
    const p = c.profiles.get('ce-v2c');
    expect(p && 'community' in p ? p.community.reveal() : '').toBe('from-env');
  });

  it('rejects unknown keys and unset variables, naming each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demarc-cfg-'));
    writeFileSync(join(dir, 'sites.csv'), goodCsv);
    writeFileSync(
      join(dir, 'demarc.yaml'),
      [
        'inventory: ./sites.csv',
        'collector: { intervalSecs: 5 }',
        'snmp:',
        '  profiles:',
        '    ce-v2c: { version: 2c, community: "${NOT_SET_ANYWHERE}" }',
        '    ce-v3: { version: "3", user: u, level: authPriv, authProtocol: SHA, authKey: short }',
      ].join('\n'),
    );
    try {
      loadConfig(join(dir, 'demarc.yaml'), {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as ConfigError).message;
      expect(msg).toContain('snmp.profiles.ce-v2c.community: environment variable NOT_SET_ANYWHERE is not set');
      expect(msg).toMatch(/collector.*intervalSecs/);
    }
  });
});

describe('demarc check-config', () => {
  const cli = join(import.meta.dirname, '../../bin/demarc.js');

  it('exits 0 on the demo config', async () => {
    const { stdout } = await run(process.execPath, [cli, 'check-config', '--config', join(import.meta.dirname, '../../config/demarc.yaml')]);
    expect(stdout).toMatch(/OK\n\s+120 sites in 12 divisions/);
  });

  it('lists every bad row and exits non-zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demarc-cfg-'));
    let csv = withField(goodCsv, 1, 'ce_port', 'abc');
    csv = withField(csv, 3, 'activation_date', 'yesterday');
    writeFileSync(join(dir, 'sites.csv'), csv);
    const yaml = readFileSync(join(import.meta.dirname, '../../config/demarc.yaml'), 'utf8');
    writeFileSync(join(dir, 'demarc.yaml'), yaml);
    const err = await run(process.execPath, [cli, 'check-config', '--config', join(dir, 'demarc.yaml')]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in err && err.code).toBe(2);
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toContain('row 3, column ce_port: "abc" is not a port');
    expect(stderr).toContain('row 5, column activation_date: "yesterday" is not a date');
  });
});
