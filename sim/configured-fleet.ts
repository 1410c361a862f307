import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DemarcConfig } from '../config/load.js';
import { startFleetSimulator, type FleetSimulator } from './fleet.js';
import { loadScenario, runScenario } from './scenario.js';

/**
 * The simulator as `demarc sim` and `demarc demo` run it: traps go to demarc's trap receiver
 * with the first configured trap community, and the scenario file (if any) plays.
 */
export async function startConfiguredFleet(config: DemarcConfig, deps: { logger: Logger; clock: Clock }): Promise<{ sim: FleetSimulator; stop(): Promise<void> }> {
  const community = config.traps.communities[0]?.reveal();
  const sim = await startFleetSimulator({
    config,
    logger: deps.logger,
    clock: deps.clock,
    controlPort: config.sim.controlPort,
    ...(config.traps.enabled && community ? { trapTarget: { host: config.traps.host, port: config.traps.port, community } } : {}),
  });
  const scenario = config.sim.scenario ? runScenario(sim, loadScenario(config.sim.scenario, config.inventory), deps.logger) : null;
  return {
    sim,
    async stop() {
      scenario?.stop();
      await sim.stop();
    },
  };
}
