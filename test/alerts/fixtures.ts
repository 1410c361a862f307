import type { Incident, IncidentEvent, MaintenanceWindow } from '../../core/incident.js';
import type { Site } from '../../core/inventory.js';
import type { Silence } from '../../alerts/alert.js';
import { AlertBook, type PolicyContext } from '../../alerts/alert-book.js';
import { alertsConfig, type AlertsConfig, type AlertsConfigInput } from '../../alerts/config-schema.js';

/** 2026-03-10 (a Tuesday, a working day) 02:00 Asia/Shanghai: the middle of a night shift. */
export const T0 = Date.parse('2026-03-09T18:00:00Z');
export const MIN = 60_000;

export function site(id: string, over: { division?: string; carrierGroup?: string; name?: string } = {}): Site {
  return {
    id,
    name: over.name ?? `${id} 团场`,
    nameEn: `${id} farm`,
    division: over.division ?? '第一师',
    circuit: {
      id: `XJ70M-${id}`,
      bandwidthMbps: 70,
      activationDate: '2026-01-01',
      headend: { device: { host: '127.0.0.1', port: 1161, profile: 'p' }, ifName: `Gi0/${id}` },
      carrierGroup: over.carrierGroup ?? 'POP-A',
    },
    ce: { device: { host: '127.0.0.1', port: 1161, profile: 'p' }, ifName: 'GigabitEthernet0/0/0' },
    oob: null,
    cpe: null,
    contact: null,
    location: { latitude: 44.3, longitude: 86.05 },
  };
}

/** Ten sites on POP-A (第一师), two on POP-B (第二师). */
export const SITES: Site[] = [
  ...Array.from({ length: 10 }, (_, i) => site(`S${String(i + 1).padStart(2, '0')}`)),
  site('S11', { division: '第二师', carrierGroup: 'POP-B' }),
  site('S12', { division: '第二师', carrierGroup: 'POP-B' }),
];

export function incident(id: string, over: Partial<Incident> = {}): Incident {
  const siteId = over.siteId === undefined ? 'S01' : over.siteId;
  return {
    id,
    siteId,
    circuitId: siteId ? `XJ70M-${siteId}` : null,
    kind: 'outage',
    startedAt: T0,
    endedAt: null,
    responsibility: 'undetermined',
    verdict: 'provisional',
    rule: 'awaiting-recovery',
    evidence: [{ at: T0, kind: 'ce-unreachable', detail: 'the CE did not answer SNMP over the circuit' }],
    flaps: 0,
    groupEventId: null,
    maintenanceWindowId: null,
    carrierReportedAt: null,
    carrierRespondedAt: null,
    corrections: [],
    ...over,
  };
}

export const ev = (type: IncidentEvent['type'], inc: Incident): IncidentEvent => ({ type, incident: inc });

/** The routing the issue asks for, written as config. */
export const ROUTING: AlertsConfigInput = {
  channels: [
    { id: 'mail', type: 'email', host: '127.0.0.1', from: 'demarc@noc.example' },
    { id: 'noc-robot', type: 'wecom', key: 'wecom-key-0001' },
    { id: 'log', type: 'log' },
  ],
  contacts: [
    { id: 'noc-a', name: '值班员甲', channels: ['mail', 'noc-robot'], email: 'noc-a@noc.example', wecomUserId: 'noc.a' },
    { id: 'noc-b', name: '值班员乙', channels: ['mail'], email: 'noc-b@noc.example' },
    { id: 'noc-lead', name: '值班长', channels: ['mail'], email: 'lead@noc.example' },
    { id: 'day-a', name: '白班甲', channels: ['mail'], email: 'day-a@noc.example' },
    { id: 'div1-a', name: '一师网管', channels: ['mail'], email: 'div1@noc.example' },
    { id: 'div1-b', name: '一师主任', channels: ['mail'], email: 'div1-b@noc.example' },
    { id: 'capacity', name: '容量组', channels: ['mail'], email: 'capacity@noc.example' },
    { id: 'carrier-desk', name: '运营商大客户故障受理', channels: ['mail'], email: 'fault@carrier.example', carrier: true },
  ],
  rotations: [
    {
      id: 'noc',
      shifts: [
        { days: ['workday'], from: '08:30', to: '17:30', chain: ['day-a', 'noc-lead'] },
        { days: ['all'], from: '17:30', to: '08:30', chain: ['noc-a', 'noc-b', 'noc-lead'] },
      ],
      fallback: ['noc-a', 'noc-lead'],
    },
    { id: 'div1', shifts: [{ days: ['all'], from: '00:00', to: '00:00', chain: ['div1-a', 'div1-b'] }], fallback: ['div1-a'] },
  ],
  routes: [
    { match: { responsibility: ['line', 'undetermined', 'monitoring'] }, to: ['noc'] },
    { match: { responsibility: ['line'] }, to: ['carrier-desk'] },
    { match: { responsibility: ['device'], division: ['第一师'] }, to: ['div1'] },
    { match: { rule: ['demarc-health', 'carrier-deadline-approaching', 'carrier-deadline-missed'] }, to: ['noc'] },
    { match: { rule: ['utilization', 'capacity', 'errors'] }, to: ['capacity'] },
  ],
};

export function config(over: AlertsConfigInput = {}): AlertsConfig {
  return alertsConfig({ ...ROUTING, ...over, timings: { groupingWindowSec: 60, flapDampingSec: 300, ...over.timings } });
}

export function policyContext(cfg: AlertsConfig, now: number, extra: { silences?: Silence[]; windows?: MaintenanceWindow[]; sites?: Site[] } = {}): PolicyContext {
  let n = 0;
  return {
    now,
    cfg,
    sites: new Map((extra.sites ?? SITES).map((s) => [s.id, s])),
    silences: extra.silences ?? [],
    windows: extra.windows ?? [],
    carrierLimitHours: 2,
    newId: () => `ALR-${now}-${++n}`,
  };
}

export { AlertBook };
