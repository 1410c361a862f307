import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../core/events.js';
import type { Caller } from '../identity/identity.js';
import { decide, READ, type Policy } from './policy.js';

/** Who may open the live connection at all: the same readers as the REST reads (wall included). */
export const HANDSHAKE_POLICY: Policy = READ;

/**
 * Every client → server event with its policy. The mapped type makes a new event in
 * core/events.ts a compile error until it has one here.
 */
export const SOCKET_EVENT_POLICIES: { [E in keyof ClientToServerEvents]: Policy } = {
  'sites:snapshot': READ,
};

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Listener = ((...args: unknown[]) => void) & { policy?: Policy };

/**
 * Registers a handler behind its event's policy. The caller is looked up again on every
 * event, so a session revoked or expired since the handshake stops being served.
 */
export function onGuarded<E extends keyof ClientToServerEvents>(
  socket: LiveSocket,
  event: E,
  callerOf: (req: IncomingMessage) => Caller | null,
  handler: (caller: Caller, ...args: Parameters<ClientToServerEvents[E]>) => void,
): void {
  const policy = SOCKET_EVENT_POLICIES[event];
  const listener: Listener = (...args: unknown[]) => {
    const caller = callerOf(socket.request);
    const d = decide(policy, caller);
    if (!d.ok || !caller) {
      // A socket whose caller lost the right (logged out, revoked, expired) is closed, not just ignored.
      socket.disconnect(true);
      return;
    }
    (handler as (c: Caller, ...a: unknown[]) => void)(caller, ...args);
  };
  listener.policy = policy;
  socket.on(event, listener as never);
}
