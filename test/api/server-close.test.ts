import { connect, type Socket } from 'node:net';
import { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import { startApiServer } from '../../api/server.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { openStateDb } from '../../store/state-db.js';
import { bearer, serverAuth } from '../support/auth.js';

/**
 * Stopping demarc must not hang on a client: a browser on the wall reconnects the moment its
 * socket drops, and a half-sent or held-open request would otherwise keep the HTTP server (and
 * so demarc's stop, and the restart behind it) waiting for minutes.
 */
const PORT = 26990;

describe('ApiServer.close()', () => {
  it('returns within a few seconds while a client holds a request open and a socket.io client keeps reconnecting', async () => {
    // A route that never answers: a request held open by the server side.
    const stuck = Router().get('/stuck', () => undefined);
    const db = openStateDb(':memory:');
    const auth = serverAuth(db, systemClock);
    const api = await startApiServer({ host: '127.0.0.1', port: PORT, routers: [stuck], webRoot: null, snapshot: () => [], logger: silentLogger, auth });
    const live = connectSocket(`http://127.0.0.1:${PORT}`, { reconnectionDelay: 10, reconnectionDelayMax: 10, extraHeaders: bearer(auth.identity) });
    await new Promise<void>((resolve) => live.once('connect', () => resolve()));
    // A whole request the server is still working on: active, not an idle keep-alive connection.
    const raw: Socket = connect(PORT, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write('GET /api/stuck HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    raw.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const t = Date.now();
    await api.close();
    const tookMs = Date.now() - t;
    live.close();
    raw.destroy();
    expect(tookMs).toBeLessThan(5_000);
    // And the port is free again: a restart can bind it.
    const again = await startApiServer({ host: '127.0.0.1', port: PORT, routers: [], webRoot: null, snapshot: () => [], logger: silentLogger, auth });
    await again.close();
    db.close();
  }, 30_000);
});
