import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';

/**
 * Docker does not run on the CI machines, so docker-compose.yml is checked by reading it:
 * everything it references must exist and agree with the config demarc will load inside.
 */
const root = join(import.meta.dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { build?: string; image?: string; command?: string[]; volumes?: string[]; environment?: Record<string, string>; ports?: string[] }>;
};

describe('docker-compose.yml', () => {
  const demarc = compose.services.demarc!;
  const influx = compose.services.influxdb!;

  it('builds demarc from the Dockerfile and runs InfluxDB 1.8', () => {
    expect(demarc.build).toBe('.');
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    expect(influx.image).toMatch(/^influxdb:1\.8/);
  });

  it('mounts a config volume that holds the config the command names', () => {
    const mount = demarc.volumes!.find((v) => v.endsWith(':/etc/demarc:ro'))!;
    expect(mount).toBeDefined();
    const hostDir = join(root, mount.split(':')[0]!);
    const configArg = demarc.command![demarc.command!.indexOf('--config') + 1]!;
    expect(configArg.startsWith('/etc/demarc/')).toBe(true);
    expect(existsSync(join(hostDir, configArg.slice('/etc/demarc/'.length)))).toBe(true);
  });

  it('configures demarc for the compose InfluxDB service, with every secret passed in', () => {
    const hostDir = join(root, demarc.volumes!.find((v) => v.endsWith(':/etc/demarc:ro'))!.split(':')[0]!);
    const env = Object.fromEntries(Object.keys(demarc.environment!).map((k) => [k, 'placeholder-secret']));
    const config = loadConfig(join(hostDir, 'demarc.yaml'), env);
    expect(config.store.backend).toBe('influx');
    const url = new URL(config.store.influx!.url);
    expect(Object.keys(compose.services)).toContain(url.hostname);
    expect(url.port).toBe('8086');
    expect(config.api.host).toBe('0.0.0.0');
    // Plain HTTP is published on the host's loopback only (issue 11): never on all interfaces.
    expect(demarc.ports).toContain(`127.0.0.1:${config.api.port}:${config.api.port}`);
    expect(demarc.ports!.filter((p) => p.endsWith(`:${config.api.port}`) && !p.startsWith('127.0.0.1:'))).toEqual([]);
    expect(config.audit.key).not.toBeNull();
    // Writable paths are on the data volume.
    const dataMount = demarc.volumes!.find((v) => v.startsWith('demarc-data:'))!.split(':')[1]!;
    expect(config.state.path.startsWith(dataMount)).toBe(true);
    expect(config.store.influx!.spillPath.startsWith(dataMount)).toBe(true);
  });

  it('passes a secret for every ${VAR} the config uses', () => {
    const yaml = readFileSync(join(root, 'config/docker/demarc.yaml'), 'utf8').replace(/#.*$/gm, '');
    const used = new Set([...yaml.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(demarc.environment!).sort());
  });

  it('copies what the Dockerfile needs and starts the demarc command', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/demarc.js"\]/);
    expect(existsSync(join(root, 'bin/demarc.js'))).toBe(true);
    expect(existsSync(join(root, 'package-lock.json'))).toBe(true);
  });
});
