import { defineStore } from 'pinia';
import { io, type Socket } from 'socket.io-client';
import { ref } from 'vue';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../core/events.js';
import { useAuthStore } from './auth.js';
import { useIncidentsStore } from './incidents.js';
import { useSitesStore } from './sites.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

type FleetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const SNAPSHOT_TIMEOUT_MS = 5000;
/** Kiosk: at most one session renewal per this long while the server refuses the handshake. */
const RENEW_EVERY_MS = 15_000;

/**
 * The one socket.io connection of the page. Only this store touches it: components read
 * the sites and incidents stores, which this store feeds.
 */
export const useLiveStore = defineStore('live', () => {
  const status = ref<ConnectionStatus>('connecting');
  let socket: FleetSocket | null = null;
  let connectedBefore = false;
  let lastRenewal = 0;

  /**
   * Kiosk mode never gives up: socket.io retries on its own (every 1-5 s); when the server
   * refuses the handshake because the display session expired while it was away, the kept
   * display token opens a new one, and the next retry gets in. Nobody has to walk to the TV.
   */
  function renewKiosk(s: FleetSocket): void {
    const auth = useAuthStore();
    if (!auth.isDisplay || Date.now() - lastRenewal < RENEW_EVERY_MS) return;
    lastRenewal = Date.now();
    void auth.renewDisplay().then((ok) => {
      if (ok && !s.connected && !s.active) s.connect();
    }, () => undefined);
  }

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
      renewKiosk(s);
      // A refused handshake is not retried by socket.io itself.
      if (!s.active) setTimeout(() => socket === s && !s.connected && s.connect(), 2000);
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
