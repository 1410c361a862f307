import { defineStore } from 'pinia';
import { ref, toRaw } from 'vue';
import type { IncidentDto } from '../../../core/events.js';
import * as api from '../api/console-incidents.js';
import { errorText } from '../api/http.js';
import { useIncidentsStore } from './incidents.js';

const DAY_MS = 86_400_000;

/** One incident on its page, its pre-filled fault report and its alerts, and the actions on it. */
export const useIncidentDetailStore = defineStore('incident-detail', () => {
  const incident = ref<api.ConsoleIncident | null>(null);
  const faultReport = ref<api.FaultReportDto | null>(null);
  const alerts = ref<api.AlertSummary[]>([]);
  const loadError = ref<string | null>(null);
  const actionError = ref<string | null>(null);
  const busy = ref(false);

  async function loadAlerts(i: api.ConsoleIncident): Promise<void> {
    // The alert history is by time (at most 400 days per request): from just before the incident.
    const from = Math.max(Date.parse(i.startedAt) - 60_000, Date.now() - 399 * DAY_MS);
    alerts.value = (await api.fetchAlertsSince(from)).filter((a) => a.incidentIds.includes(i.id));
  }

  async function load(id: string, withFaultReport: boolean): Promise<void> {
    loadError.value = null;
    actionError.value = null;
    faultReport.value = null;
    try {
      const i = await api.fetchIncident(id);
      incident.value = i;
      await loadAlerts(i).catch((e) => (loadError.value = errorText(e)));
      if (withFaultReport) faultReport.value = await api.fetchFaultReport(id);
    } catch (e) {
      incident.value = null;
      loadError.value = errorText(e);
    }
  }

  /** Runs one action; the server's answer (or its refusal, said as it said it) replaces the local state. */
  async function act(run: () => Promise<{ incident: api.ConsoleIncident } | void>): Promise<boolean> {
    busy.value = true;
    actionError.value = null;
    try {
      const out = await run();
      if (out) {
        incident.value = out.incident;
        useIncidentsStore().upsert(out.incident);
      }
      return true;
    } catch (e) {
      actionError.value = errorText(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** A socket update of the incident shown (its carrier assessment stays from the last API answer). */
  function applyLive(dto: IncidentDto): void {
    if (incident.value && incident.value.id === dto.id) incident.value = { ...incident.value, ...structuredClone(toRaw(dto)) };
  }

  const id = () => incident.value?.id ?? '';
  const reportToCarrier = (note: string | null) => act(() => api.reportToCarrier(id(), note));
  const recordResponse = (note: string | null) => act(() => api.recordCarrierResponse(id(), note));
  const propose = (responsibility: string, reason: string) => act(() => api.proposeCorrection(id(), responsibility, reason));
  const approve = () => act(() => api.approveCorrection(id()));
  const reject = (reason: string) => act(() => api.rejectCorrection(id(), reason));
  const acknowledge = (alertId: string) =>
    act(async () => {
      const { alert } = await api.acknowledgeAlert(alertId);
      alerts.value = alerts.value.map((a) => (a.id === alert.id ? alert : a));
    });

  return { incident, faultReport, alerts, loadError, actionError, busy, load, applyLive, reportToCarrier, recordResponse, propose, approve, reject, acknowledge };
});
