/**
 * The alert rules and how each behaves over time. One table, so the night-shift behaviour can
 * be read in one place: what wakes someone, what is repeated, what climbs the escalation chain.
 */
export const ALERT_RULES = [
  'site-down',
  'mass-outage',
  'noc-isolation',
  'monitoring-gap',
  'carrier-deadline-approaching',
  'carrier-deadline-missed',
  'utilization',
  'capacity',
  'errors',
  'demarc-health',
  'config-gap',
  'inventory-change',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface RuleBehaviour {
  severity: Severity;
  /** Repeated every renotify interval until acknowledged. */
  renotify: boolean;
  /** Climbs the on-call chain when nobody acknowledges. */
  escalate: boolean;
  /** A "recovered" message when it ends (reminders that simply lapse send none). */
  resolveMessage: boolean;
  /** Waits the grouping window before firing (so one carrier failure pages once). */
  grouped: boolean;
}

export const RULE_BEHAVIOUR: Readonly<Record<AlertRule, RuleBehaviour>> = {
  'site-down': { severity: 'critical', renotify: true, escalate: true, resolveMessage: true, grouped: true },
  'mass-outage': { severity: 'critical', renotify: true, escalate: true, resolveMessage: true, grouped: true },
  'noc-isolation': { severity: 'critical', renotify: true, escalate: true, resolveMessage: true, grouped: false },
  'monitoring-gap': { severity: 'warning', renotify: false, escalate: false, resolveMessage: true, grouped: false },
  'carrier-deadline-approaching': { severity: 'warning', renotify: false, escalate: false, resolveMessage: false, grouped: false },
  'carrier-deadline-missed': { severity: 'critical', renotify: true, escalate: false, resolveMessage: false, grouped: false },
  utilization: { severity: 'warning', renotify: false, escalate: false, resolveMessage: true, grouped: false },
  capacity: { severity: 'warning', renotify: false, escalate: false, resolveMessage: false, grouped: false },
  errors: { severity: 'warning', renotify: false, escalate: false, resolveMessage: true, grouped: false },
  'demarc-health': { severity: 'critical', renotify: true, escalate: true, resolveMessage: true, grouped: false },
  // A configured port the device does not have: the NOC fixes the inventory; nobody is woken.
  'config-gap': { severity: 'warning', renotify: false, escalate: false, resolveMessage: true, grouped: false },
  // A device replaced, upgraded or re-cabled, as discovery saw it: news, not an emergency.
  'inventory-change': { severity: 'info', renotify: false, escalate: false, resolveMessage: false, grouped: false },
};

/** Rules about an outage the carrier may have to act on. */
export const CARRIER_RULES: ReadonlySet<AlertRule> = new Set(['site-down', 'mass-outage']);
