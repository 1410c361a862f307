import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { communityProfileWarnings, isLoopback } from '../../config/security-warnings.js';
import { siteRow, writeTempConfig } from '../support/temp-config.js';

const CLI = fileURLToPath(new URL('../../bin/demarc.js', import.meta.url));

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.1.42', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['128.0.0.1', false],
    ['ce-17.example.net', false],
    ['2001:db8::1', false],
  ])('%s → %s', (host, expected) => expect(isLoopback(host)).toBe(expected));
});

describe('check-config warns about clear-text SNMP beyond loopback', () => {
  const profiles = { v2c: { version: '2c', community: 'public' }, v3: { version: '3', user: 'u', level: 'authPriv', authProtocol: 'SHA', authKey: 'auth-key-123', privProtocol: 'AES-128', privKey: 'priv-key-123' } };

  it('names the v2c profile and its non-loopback hosts, not v3 ones nor loopback ones', () => {
    const { config } = writeTempConfig({ snmp: { profiles } }, [
      siteRow({ site_id: 'S1', ce_host: '127.0.1.1', ce_port: '161' }),
      siteRow({ site_id: 'S2', ce_host: 'ce-2.example.net', ce_port: '161', headend_host: 'he.example.net', headend_snmp_profile: 'v3' }),
    ]);
    const w = communityProfileWarnings(config.inventory.sites, config.profiles);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^SNMP profile v2c \(v2c\) sends its community in clear text to 1 non-loopback host\(s\): ce-2\.example\.net; use an SNMPv3 authPriv profile$/);
  });

  it('prints the warning from demarc check-config, and none for an all-loopback inventory', () => {
    const bad = writeTempConfig({ snmp: { profiles } }, [siteRow({ site_id: 'S2', ce_host: 'ce-2.example.net', ce_port: '161', headend_host: '127.0.0.1' })]);
    const out = spawnSync(process.execPath, [CLI, 'check-config', '--config', `${bad.dir}/demarc.yaml`], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/warning: SNMP profile v2c .* ce-2\.example\.net/);
    const good = writeTempConfig({ snmp: { profiles } }, [siteRow({ site_id: 'S1', ce_host: '127.0.1.1', ce_port: '161' })]);
    const quiet = spawnSync(process.execPath, [CLI, 'check-config', '--config', `${good.dir}/demarc.yaml`], { encoding: 'utf8' });
    expect(quiet.stdout).not.toMatch(/warning/);
  }, 60_000);
});
