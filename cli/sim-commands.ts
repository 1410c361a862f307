import type { Command } from 'commander';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { loadOrExit, stopOnSignals } from './lifecycle.js';

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** `demarc sim`: run the simulated fleet; `demarc sim inject|faults|clear`: drive its faults. */
export function registerSimCommands(program: Command, defaultConfig: string): void {
  const sim = program
    .command('sim')
    .description('run the simulated fleet (real SNMP agents on loopback) for the sites in the inventory')
    .option('-c, --config <file>', 'demarc.yaml', defaultConfig)
    .action(async (o: { config: string }) => {
      const config = loadOrExit(o.config);
      const logger = createLogger({ name: 'demarc-sim' });
      const { startConfiguredFleet } = await import('../sim/configured-fleet.js');
      const fleet = await startConfiguredFleet(config, { logger, clock: systemClock });
      process.stdout.write(`simulating ${config.inventory.sites.length} sites; fault API at http://127.0.0.1:${config.sim.controlPort}/faults\n`);
      stopOnSignals(logger, () => fleet.stop());
    });

  const controlOption = ['--control <url>', 'simulator control API', 'http://127.0.0.1:8161'] as const;

  sim
    .command('inject <kind> <target>')
    .description('inject a fault: line-cut, power-loss, agent-restart, wan-admin-down, mgmt-hang, group-down, noc-isolation, rate-cap, counter-wrap, ifindex-renumber, garbage, latency, flap')
    .option('-d, --duration <sec>', 'clear it after this many seconds')
    .option('-p, --param <key=value...>', 'fault parameters, e.g. mbps=20 or mode=truncated')
    .option(...controlOption)
    .action(async (kind: string, target: string, o: { duration?: string; param?: string[]; control: string }) => {
      const params = Object.fromEntries(
        (o.param ?? []).map((kv) => {
          const [k, v = ''] = kv.split('=');
          return [k, v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v];
        }),
      );
      const body = { kind, target, ...(o.duration ? { durationSec: Number(o.duration) } : {}), params };
      process.stdout.write(JSON.stringify(await control(o.control, 'POST', '/faults', body), null, 2) + '\n');
    });

  sim
    .command('faults')
    .description('list active faults')
    .option(...controlOption)
    .action(async (o: { control: string }) => {
      process.stdout.write(JSON.stringify(await control(o.control, 'GET', '/faults'), null, 2) + '\n');
    });

  sim
    .command('clear [id]')
    .description('clear one fault, or all')
    .option(...controlOption)
    .action(async (id: string | undefined, o: { control: string }) => {
      await control(o.control, 'DELETE', id ? `/faults/${encodeURIComponent(id)}` : '/faults');
      process.stdout.write('cleared\n');
    });
}
