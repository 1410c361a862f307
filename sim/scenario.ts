import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Inventory } from '../core/inventory.js';
import type { Logger } from '../core/logger.js';
import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import { checkTarget } from './fault-book.js';
import { FaultError, parseFaultSpec, type FaultSpec } from './faults.js';
import type { FleetSimulator } from './fleet.js';

/**
 * A fault schedule for the demo, so the wall shows a living network within minutes:
 *
 *   repeatEverySec: 1200          # optional: start over every 20 minutes
 *   events:
 *     - { atSec: 30, kind: line-cut, target: D01-R004, durationSec: 180 }
 *     - { atSec: 60, kind: rate-cap, target: D01-R003, durationSec: 600, params: { mbps: 20 } }
 *
 * Every event is validated like a fault from the control API, and its target against the
 * inventory; all problems are reported at once with their place in the file.
 */

const fileSchema = z.strictObject({
  repeatEverySec: z.number().positive().optional(),
  events: z.array(z.looseObject({ atSec: z.number().min(0) })).min(1, 'a scenario needs at least one event'),
});

export interface ScenarioEvent {
  atSec: number;
  spec: FaultSpec;
}

export interface Scenario {
  file: string;
  repeatEverySec: number | null;
  events: ScenarioEvent[];
}

export function parseScenario(text: string, file: string, inventory: Inventory): Scenario {
  const problems: ConfigProblem[] = [];
  const problem = (where: string, reason: string) => problems.push({ file, row: null, where, reason });
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError([{ file, row: null, where: 'file', reason: (e as Error).message }]);
  }
  const top = fileSchema.safeParse(raw);
  if (!top.success) {
    for (const i of top.error.issues) problem(i.path.join('.') || '(top level)', i.message);
    throw new ConfigError(problems);
  }
  const repeat = top.data.repeatEverySec ?? null;
  const events: ScenarioEvent[] = [];
  top.data.events.forEach((ev, i) => {
    const { atSec, ...fault } = ev;
    if (repeat !== null && atSec >= repeat) problem(`events.${i}.atSec`, `${atSec} is not before repeatEverySec (${repeat})`);
    try {
      const spec = parseFaultSpec(fault);
      checkTarget(spec, inventory);
      events.push({ atSec, spec });
    } catch (e) {
      if (!(e instanceof FaultError)) throw e;
      problem(`events.${i}.${e.field}`, e.message.slice(e.field.length + 2));
    }
  });
  if (problems.length) throw new ConfigError(problems);
  return { file, repeatEverySec: repeat, events: events.sort((a, b) => a.atSec - b.atSec) };
}

export function loadScenario(path: string, inventory: Inventory): Scenario {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, row: null, where: 'file', reason: `cannot read: ${(e as Error).message}` }]);
  }
  return parseScenario(text, file, inventory);
}

export interface ScenarioRun {
  stop(): void;
}

/** Plays a scenario against a running simulator; cycles repeat until stopped. */
export function runScenario(sim: FleetSimulator, scenario: Scenario, logger: Logger): ScenarioRun {
  const timers = new Set<NodeJS.Timeout>();
  const start = Date.now();
  let stopped = false;
  const at = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, Math.max(0, ms - Date.now()));
    timers.add(timer);
  };
  const cycle = (n: number) => {
    const base = start + n * (scenario.repeatEverySec ?? 0) * 1000;
    logger.info({ cycle: n, events: scenario.events.length }, 'scenario cycle');
    for (const ev of scenario.events)
      at(base + ev.atSec * 1000, () => {
        try {
          sim.inject(ev.spec);
        } catch (e) {
          logger.warn({ kind: ev.spec.kind, target: ev.spec.target, err: (e as Error).message }, 'scenario event not injected');
        }
      });
    if (scenario.repeatEverySec !== null) at(base + scenario.repeatEverySec * 1000, () => cycle(n + 1));
  };
  cycle(0);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
