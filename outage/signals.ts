/**
 * The signals an outage can accumulate, by the evidence kind that records them. The tracker
 * notes the first instant each one was seen; the decision table reads only these.
 */
export const SIGNALS = [
  'ce-unreachable',
  'ce-returned',
  'headend-down',
  'headend-unreachable',
  'headend-up-moving',
  'oob-reachable',
  'oob-unreachable',
  'oob-wan-down',
  'oob-wan-admin-down',
  'cpe-line-down',
  'cpe-customer-port-down',
  'cpe-unreachable',
  'trap:linkDown',
  'trap:linkUp',
  'trap:coldStart',
  'trap:warmStart',
  'trap:dyingGasp',
  'uptime-continuous',
  'agent-restart',
  'ce-rebooted',
  'uptime-unknown',
  'wan-change-inside',
  'ce-replaced',
  'vantage-sees-ce',
  'vantage-lost-ce',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** First instant each signal was seen during one incident. */
export type SeenSignals = Partial<Record<Signal, number>>;
