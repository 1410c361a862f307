import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { GarbageMode } from './faults.js';
import { MALFORMED_REPLY, truncate, withWrongRequestId } from './garbage.js';

/**
 * The UDP socket in front of each simulated agent. net-snmp's agent takes a `dgramModule`
 * (an interface-compatible replacement for node:dgram); ours hands it a socket that asks
 * the fleet, for every datagram, whether the device answers now: it may drop the request
 * (a silent device), delay the reply (latency), or act as the raw responder of a
 * `garbage` fault (answer malformed bytes itself, or cut or alter the agent's reply).
 * The address stays bound throughout, so no request meets a closed port by accident.
 */

export type GateDecision =
  | { answer: true; delayMs: number }
  | { answer: false; why: string }
  | { answer: 'garbage'; mode: GarbageMode }
  /** The gate sends `reply` itself and the agent never sees the request (bench/support/get-fast-path.ts). */
  | { answer: 'direct'; reply: Buffer };

export interface GateHooks {
  /** How to treat `msg`, arriving now. */
  decide(msg: Buffer): GateDecision;
  /** Called right before the agent sees a request (fixes the request instant). */
  beforeAgent(): void;
  /** A reply could not be sent or a request broke the agent: the device just does not answer. */
  onError(e: Error): void;
}

type Transform = { delayMs: number; mode: GarbageMode | null };

export class GatedSocket extends EventEmitter {
  private readonly real: dgram.Socket;
  private current: Transform | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Resolves once bound, rejects if the address cannot be bound. */
  readonly ready: Promise<void>;

  constructor(type: dgram.SocketType, private readonly hooks: GateHooks) {
    super();
    this.real = dgram.createSocket(type);
    this.ready = new Promise((resolve, reject) => {
      this.real.once('listening', () => resolve());
      this.real.once('error', reject);
    });
    this.ready.catch(() => undefined);
    this.real.on('error', (e) => this.listenerCount('error') && this.emit('error', e));
    this.real.on('message', (msg, rinfo) => this.receive(msg, rinfo));
  }

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const d = this.hooks.decide(msg);
    if (d.answer === false) return;
    if (d.answer === 'direct') {
      this.real.send(d.reply, rinfo.port, rinfo.address, (e) => e && this.hooks.onError(e));
      return;
    }
    if (d.answer === 'garbage') {
      if (d.mode === 'silent') return;
      if (d.mode === 'malformed') {
        this.real.send(MALFORMED_REPLY, rinfo.port, rinfo.address, (e) => e && this.hooks.onError(e));
        return;
      }
    }
    // The agent answers synchronously while handling the message: what it sends during
    // this emit is the reply to this request.
    this.current = d.answer === true ? { delayMs: d.delayMs, mode: null } : { delayMs: 0, mode: d.mode };
    try {
      this.hooks.beforeAgent();
      this.emit('message', msg, rinfo);
    } catch (e) {
      this.hooks.onError(e as Error);
    } finally {
      this.current = null;
    }
  }

  bind(port: number, address?: string): this {
    this.real.bind(port, address);
    return this;
  }

  send(buf: Buffer, offset: number, length: number, port: number, address: string, cb?: (e: Error | null, n: number) => void): void {
    const t = this.current;
    let out = buf.subarray(offset, offset + length);
    try {
      if (t?.mode === 'truncated') out = truncate(out);
      else if (t?.mode === 'wrong-request-id') out = withWrongRequestId(out);
    } catch (e) {
      this.hooks.onError(e as Error);
    }
    const go = () => this.real.send(out, port, address, (e, n) => (e ? this.hooks.onError(e) : cb?.(null, n)));
    if (!t || t.delayMs <= 0) return go();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      go();
    }, t.delayMs);
    this.timers.add(timer);
  }

  address(): AddressInfo {
    return this.real.address();
  }

  close(cb?: () => void): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.real.close(cb);
  }
}

/** A node:dgram look-alike for net-snmp's `dgramModule` option; keeps the sockets it made. */
export function gatedDgram(hooks: GateHooks): { createSocket(type: dgram.SocketType): GatedSocket; sockets: GatedSocket[] } {
  const sockets: GatedSocket[] = [];
  return {
    sockets,
    createSocket(type: dgram.SocketType) {
      const s = new GatedSocket(type, hooks);
      sockets.push(s);
      return s;
    },
  };
}
