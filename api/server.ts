import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server } from 'socket.io';
import type { Logger } from '../core/logger.js';
import type { SiteStateDto } from '../core/events.js';
import { errorHandler, HttpError, type ErrorMapper } from './http-errors.js';
import { LiveUpdates, type LiveServer } from './live-updates.js';

export interface ApiServer {
  url: string;
  live: LiveUpdates;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  /** Routers mounted under /api, in order. */
  routers: Router[];
  /** Built web UI (dist/web); served with an SPA fallback so /wall reloads work. */
  webRoot: string | null;
  snapshot: () => SiteStateDto[];
  logger: Logger;
  /** Turns errors no route handled into a named HTTP answer (storage failures), instead of a bare 500. */
  mapError?: ErrorMapper;
}

/** How long a request in flight may take to finish once the server is closing. */
const CLOSE_GRACE_MS = 2000;

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  const api = express.Router();
  for (const r of opts.routers) api.use(r);
  api.use((req) => {
    throw new HttpError(404, `no API route ${req.method} /api${req.path}`);
  });
  app.use('/api', api);

  const webRoot = opts.webRoot && existsSync(join(opts.webRoot, 'index.html')) ? opts.webRoot : null;
  if (webRoot) {
    app.use(express.static(webRoot, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(webRoot, 'index.html')));
  } else {
    app.get('/', (_req, res) => res.type('text').send('demarc API is running; the web UI is not built (npm run build:web).'));
  }
  app.use(errorHandler(opts.logger, opts.mapError));

  const http: HttpServer = createServer(app);
  const io: LiveServer = new Server(http, { serveClient: false });
  io.on('connection', (socket) => {
    socket.on('sites:snapshot', (reply) => {
      if (typeof reply === 'function') reply(opts.snapshot());
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const addr = http.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    live: new LiveUpdates(io),
    close: async () => {
      // io.close() disconnects the sockets and closes the HTTP server, which then waits for
      // every open connection. A request still in flight gets a moment to finish; one held
      // open (a browser's reconnect on a keep-alive connection, a stuck client) must not keep
      // demarc from stopping, so after the grace period the connections are cut.
      const cut = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await io.close();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
