import { createSocket, type Socket } from 'node:dgram';
import { createServer, connect, type Server, type Socket as TcpSocket } from 'node:net';

/**
 * A WAN link on one machine: a TCP relay between a collector and nats-server. cut() resets
 * every connection and refuses new ones (what a dead uplink looks like to both ends), restore()
 * accepts again. The center keeps its own direct link, as it would.
 */
export async function startTcpRelay(listenPort: number, targetPort: number): Promise<{ cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const conns = new Set<TcpSocket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        conns.add(client);
        conns.add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          conns.delete(client);
          conns.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      s.once('error', reject);
      s.listen(listenPort, '127.0.0.1', () => resolve());
      server = s;
    });
  const cut = async () => {
    const s = server as Server | null;
    server = null;
    for (const c of conns) c.resetAndDestroy();
    conns.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();
  return { cut, restore: listen, close: cut };
}

/** A UDP relay in front of one SNMP agent: the center's own path to a site, which close() cuts. */
export async function startUdpRelay(listenPort: number, target: { host: string; port: number }): Promise<{ close(): void }> {
  const front: Socket = createSocket('udp4');
  const back = new Map<string, Socket>();
  front.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}`;
    let b = back.get(key);
    if (!b) {
      const nb = createSocket('udp4');
      nb.on('message', (reply) => front.send(reply, from.port, from.address));
      back.set(key, nb);
      b = nb;
    }
    b.send(msg, target.port, target.host);
  });
  await new Promise<void>((resolve) => front.bind(listenPort, '127.0.0.1', () => resolve()));
  return {
    close: () => {
      front.close();
      for (const b of back.values()) b.close();
    },
  };
}
