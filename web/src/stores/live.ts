import { defineStore } from 'pinia';
import { io, type Socket } from 'socket.io-client';
import { ref } from 'vue';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../core/events.js';
import { useIncidentsStore } from './incidents.js';
import { useSitesStore } from './sites.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

type FleetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const SNAPSHOT_TIMEOUT_MS = 5000;

/**
 * The one socket.io connection of the page. Only this store touches it: components read
 * the sites and incidents stores, which this store feeds.
 */
export const useLiveStore = defineStore('live', () => {
  const status = ref<ConnectionStatus>('connecting');
  let socket: FleetSocket | null = null;
  let connectedBefore = false;

  function requestSnapshot(s: FleetSocket): void {
    const sites = useSitesStore();
    s.timeout(SNAPSHOT_TIMEOUT_MS).emit('sites:snapshot', (err, states) => {
      // No answer: the next cycle brings the same data a moment later.
      if (!err && Array.isArray(states)) sites.applyStates(states);
    });
  }

  function connect(): void {
    if (socket) return;
    const sites = useSitesStore();
    const incidents = useIncidentsStore();
    const s: FleetSocket = io({ path: '/socket.io' });
    socket = s;

    s.on('connect', () => {
      status.value = 'connected';
      const reconnect = connectedBefore;
      connectedBefore = true;
      if (!sites.loaded) void sites.load();
      requestSnapshot(s);
      // Events may have been missed while the connection was down.
      if (reconnect) void incidents.loadOpen();
    });
    s.on('disconnect', (reason) => {
      status.value = 'reconnecting';
      // A server-side disconnect is not retried by socket.io itself.
      if (reason === 'io server disconnect') s.connect();
    });
    s.on('connect_error', () => {
      status.value = connectedBefore ? 'reconnecting' : 'connecting';
    });
    s.on('cycle', (payload) => sites.applyCycle(payload));
    s.on('sites:state', (states) => sites.applyStates(states));
    s.on('incident:opened', (inc) => incidents.upsert(inc));
    s.on('incident:updated', (inc) => incidents.upsert(inc));
    s.on('incident:closed', (inc) => incidents.upsert(inc));
  }

  function disconnect(): void {
    socket?.disconnect();
    socket = null;
    connectedBefore = false;
    status.value = 'connecting';
  }

  return { status, connect, disconnect };
});
