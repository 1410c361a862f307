import dgram from 'node:dgram';
import { lookup } from 'node:dns';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { createRequire } from 'node:module';

/**
 * A few UDP sockets shared by every net-snmp session of a pool, instead of one socket per
 * session (net-snmp's default): 100,000 devices would otherwise be 100,000 file descriptors,
 * far past a process's limit (Telegraf's "too many open files" at about 1,800 devices).
 *
 * net-snmp builds its socket through `options.dgramModule.createSocket()`; each session gets a
 * `SharedSocket` from here, a stand-in with the part of node's dgram.Socket that net-snmp uses
 * (send, on, ref, unref, close). Encoding, decoding, SNMPv3 discovery, security and time
 * windows stay net-snmp's, per session (so per engine). What this module adds is the demux:
 * every request id in flight is registered here with the address and port it was sent to, and
 * a datagram is handed to a session only when its id is registered AND it comes from that
 * address and port. Anything else is dropped and counted, never delivered to another session.
 * Ids are allocated here (`adoptSession`), unique across all sessions sharing the sockets.
 */

const require = createRequire(import.meta.url);
const { Ber } = require('asn1-ber') as { Ber: { Reader: new (buf: Buffer) => BerReader; Integer: number; OctetString: number } };
interface BerReader {
  peek(): number | null;
  readSequence(tag?: number): number | null;
  readInt(): number | null;
  readString(tag: number, retbuf: true): Buffer | null;
}

export type Family = 'udp4' | 'udp6';
/** Why a datagram was not delivered. */
export type DropReason = 'unknown-id' | 'wrong-source' | 'undecodable';

export interface TransportStats {
  /** Real UDP sockets open. */
  sockets: number;
  /** Request ids waiting for a reply. */
  pending: number;
  dropped: Record<DropReason, number>;
}

/** The SNMP message's request id (v1/v2c: the PDU's request-id; v3: msgID), read with net-snmp's BER library. */
export function peekRequestId(buf: Buffer): number | null {
  try {
    const r = new Ber.Reader(buf);
    if (r.readSequence() === null) return null;
    if (r.peek() !== Ber.Integer) return null;
    const version = r.readInt();
    if (version === 3) {
      if (r.readSequence() === null) return null;
    } else {
      if (r.readString(Ber.OctetString, true) === null) return null;
      if (r.readSequence() === null) return null;
    }
    if (r.peek() !== Ber.Integer) return null;
    const id = r.readInt();
    return typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

interface Expected {
  owner: SharedSocket;
  address: string;
  port: number;
}

const MAX_ID = 2 ** 31 - 1;

export class SharedUdpTransport {
  private readonly expected = new Map<number, Expected>();
  private readonly sockets: Record<Family, dgram.Socket[]> = { udp4: [], udp6: [] };
  private readonly nextSocket: Record<Family, number> = { udp4: 0, udp6: 0 };
  private readonly dropped: Record<DropReason, number> = { 'unknown-id': 0, 'wrong-source': 0, undecodable: 0 };
  private refs = 0;
  private closed = false;

  /** What net-snmp's `options.dgramModule` expects. */
  readonly dgramModule = { createSocket: (type: string) => this.open(type === 'udp6' ? 'udp6' : 'udp4') };

  constructor(
    /** Real sockets per address family; sessions are spread over them round-robin. */
    private readonly perFamily: number,
    private readonly onDrop: (why: DropReason, from: string) => void = () => undefined,
  ) {
    if (!Number.isInteger(perFamily) || perFamily < 1) throw new RangeError(`shared sockets per family must be a positive integer, got ${perFamily}`);
  }

  private open(family: Family): SharedSocket {
    if (this.closed) throw new Error('shared UDP transport closed');
    const list = this.sockets[family];
    let real: dgram.Socket;
    if (list.length < this.perFamily) {
      real = dgram.createSocket(family);
      real.on('message', (buf, rinfo) => this.deliver(buf, rinfo));
      // An ICMP error or a failed send surfaces on the send callback of its request; nothing to do here.
      real.on('error', () => undefined);
      real.bind({ address: family === 'udp6' ? '::' : '0.0.0.0', port: 0 }, () => {
        // The kernel default (~200 KiB) holds about 1,000 replies: generous for a burst of answers.
        try {
          real.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // capped by net.core.rmem_max: keep what the kernel gives
        }
      });
      if (this.refs === 0) real.unref();
      list.push(real);
    } else {
      real = list[this.nextSocket[family]++ % list.length]!;
    }
    return new SharedSocket(this, real, family);
  }

  /** A request id unused by every session on these sockets. */
  allocateId(): number {
    for (;;) {
      // Random, not sequential: an off-path sender cannot guess the next id.
      const id = 1 + Math.floor(Math.random() * MAX_ID);
      if (!this.expected.has(id)) return id;
    }
  }

  expect(id: number, owner: SharedSocket, address: string, port: number): void {
    this.expected.set(id, { owner, address, port });
  }

  release(id: number, owner: SharedSocket): void {
    if (this.expected.get(id)?.owner === owner) this.expected.delete(id);
  }

  private deliver(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const id = peekRequestId(buf);
    const from = `${rinfo.address}:${rinfo.port}`;
    if (id === null) return this.drop('undecodable', from);
    const e = this.expected.get(id);
    if (!e || e.owner.closed) return this.drop('unknown-id', from);
    if (e.address !== rinfo.address || e.port !== rinfo.port) return this.drop('wrong-source', from);
    e.owner.emit('message', buf, rinfo);
  }

  private drop(why: DropReason, from: string): void {
    this.dropped[why]++;
    this.onDrop(why, from);
  }

  ref(): void {
    if (this.refs++ === 0) for (const s of [...this.sockets.udp4, ...this.sockets.udp6]) s.ref();
  }

  unref(): void {
    if (--this.refs === 0) for (const s of [...this.sockets.udp4, ...this.sockets.udp6]) s.unref();
  }

  stats(): TransportStats {
    return { sockets: this.sockets.udp4.length + this.sockets.udp6.length, pending: this.expected.size, dropped: { ...this.dropped } };
  }

  close(): void {
    this.closed = true;
    for (const s of [...this.sockets.udp4, ...this.sockets.udp6]) s.close();
    this.sockets.udp4 = [];
    this.sockets.udp6 = [];
    this.expected.clear();
  }
}

type SendCallback = (error: Error | null, bytes?: number) => void;

/** One session's view of a shared socket: what net-snmp calls `this.dgram`. */
export class SharedSocket extends EventEmitter {
  closed = false;
  /** The id of the request net-snmp is about to send (set by adoptSession's send wrapper). */
  sendingId: number | null = null;
  private referenced = false;
  /** A host name resolved once (an IP literal is used as it is). */
  private resolved: { host: string; address: string } | null = null;

  constructor(
    private readonly transport: SharedUdpTransport,
    private readonly real: dgram.Socket,
    private readonly family: Family,
  ) {
    super();
  }

  send(buf: Buffer, offset: number, length: number, port: number, host: string, cb: SendCallback): void {
    if (this.closed) throw new Error('Not running');
    const id = this.sendingId;
    const go = (address: string) => {
      if (id !== null) this.transport.expect(id, this, address, port);
      this.real.send(buf, offset, length, port, address, (err, bytes) => {
        if (err && id !== null) this.transport.release(id, this);
        cb(err, bytes);
      });
    };
    if (isIP(host) !== 0) return go(host);
    if (this.resolved?.host === host) return go(this.resolved.address);
    lookup(host, { family: this.family === 'udp6' ? 6 : 4 }, (err, address) => {
      if (err) return cb(err);
      this.resolved = { host, address };
      go(address);
    });
  }

  release(id: number): void {
    this.transport.release(id, this);
  }

  ref(): this {
    if (!this.referenced && !this.closed) {
      this.referenced = true;
      this.transport.ref();
    }
    return this;
  }

  unref(): this {
    if (this.referenced) {
      this.referenced = false;
      this.transport.unref();
    }
    return this;
  }

  bind(): never {
    throw new Error('a shared socket is bound by its transport; sourceAddress/sourcePort are not supported');
  }

  close(): void {
    if (this.closed) return;
    this.unref();
    this.closed = true;
    // As node's socket does: 'close' comes after close() returns; net-snmp then fails the requests in flight.
    process.nextTick(() => this.emit('close'));
  }
}

/** The parts of net-snmp's Session (not in its typings) that the adoption wraps. */
interface SessionInternals {
  dgram: unknown;
  send(req: ReqInternals, noWait?: boolean): unknown;
  unregisterRequest(id: number): unknown;
}
interface ReqInternals {
  message: { version: number; pdu: { id: number }; msgGlobalData?: { msgID: number } };
  getId(): number;
  sharedId?: true;
}

/**
 * Makes a net-snmp session created with `dgramModule: transport.dgramModule` draw its request
 * ids from the transport (unique across the shared sockets) and release them when net-snmp
 * retires a request (reply, timeout, close). A retransmission keeps its id.
 */
export function adoptSession(session: unknown, transport: SharedUdpTransport): void {
  const s = session as SessionInternals;
  if (!(s.dgram instanceof SharedSocket)) throw new Error('adoptSession: the session was not created with the transport\'s dgramModule');
  const sock = s.dgram;
  const send = s.send;
  const unregister = s.unregisterRequest;
  s.send = function (this: SessionInternals, req: ReqInternals, noWait?: boolean) {
    if (!req.sharedId) {
      const id = transport.allocateId();
      if (req.message.version === 3 && req.message.msgGlobalData) req.message.msgGlobalData.msgID = id;
      else req.message.pdu.id = id;
      req.sharedId = true;
    }
    // net-snmp encodes and hands the datagram to the socket synchronously inside send().
    sock.sendingId = noWait ? null : req.getId();
    try {
      return send.call(this, req, noWait);
    } finally {
      sock.sendingId = null;
    }
  };
  s.unregisterRequest = function (this: SessionInternals, id: number) {
    const req = unregister.call(this, id);
    if (req) sock.release(id);
    return req;
  };
}
