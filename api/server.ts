import cookieParser from 'cookie-parser';
import express, { type Application, type Router } from 'express';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server } from 'socket.io';
import type { Logger } from '../core/logger.js';
import type { SiteStateDto } from '../core/events.js';
import { errorHandler, HttpError } from './http-errors.js';
import { LiveUpdates, type LiveServer } from './live-updates.js';
import type { AuthConfig } from '../config/auth-schema.js';
import type { Clock } from '../core/clock.js';
import type { Caller, IdentityService } from '../identity/identity.js';
import { authMiddleware, originAllowed } from './auth.js';
import { decide, PUBLIC, route } from './policy.js';
import { authRoutes } from './routes/auth.js';
import { userRoutes } from './routes/users.js';
import { HANDSHAKE_POLICY, onGuarded } from './socket-policy.js';

export interface ApiServer {
  url: string;
  live: LiveUpdates;
  /** The express app and socket.io server, for enumerating routes and events (policy tests). */
  app: Application;
  io: LiveServer;
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
  /** Who is calling: every route and socket event checks it against its policy. */
  auth: { identity: IdentityService; config: AuthConfig; clock: Clock; secure?: boolean };
}

/** How long a request in flight may take to finish once the server is closing. */
const CLOSE_GRACE_MS = 2000;

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  app.use(cookieParser());
  const secure = opts.auth.secure ?? false;
  const auth = authMiddleware({ identity: opts.auth.identity, allowedOrigins: opts.auth.config.allowedOrigins, secure });
  const api = express.Router();
  api.use(auth.authenticate);
  api.use(authRoutes({ identity: opts.auth.identity, config: opts.auth.config, secure, logger: opts.logger, csrfToken: auth.csrfToken }));
  api.use(userRoutes({ identity: opts.auth.identity, clock: opts.auth.clock }));
  for (const r of opts.routers) api.use(r);
  api.use((req) => {
    throw new HttpError(404, `no API route ${req.method} /api${req.path}`);
  });
  app.use('/api', api);

  const webRoot = opts.webRoot && existsSync(join(opts.webRoot, 'index.html')) ? opts.webRoot : null;
  if (webRoot) {
    app.use(express.static(webRoot, { index: false, maxAge: '1h' }));
    route(app, 'get', /^\/(?!api\/|socket\.io\/).*/, PUBLIC('the web UI shell; it holds no data, the API behind it checks'), (_req, res) => res.sendFile(join(webRoot, 'index.html')));
  } else {
    route(app, 'get', '/', PUBLIC('says the UI is not built'), (_req, res) => res.type('text').send('demarc API is running; the web UI is not built (npm run build:web).'));
  }
  app.use(errorHandler(opts.logger));

  const http: HttpServer = createServer(app);
  const io: LiveServer = new Server(http, {
    serveClient: false,
    // Before socket.io accepts anything: a browser on another origin, or nobody signed in, is turned away.
    allowRequest: (req, done) => {
      if (!originAllowed(req, { allowedOrigins: opts.auth.config.allowedOrigins, secure })) return done(`origin ${req.headers.origin} is not allowed`, false);
      const d = decide(HANDSHAKE_POLICY, auth.callerOf(req));
      done(d.ok ? null : d.reason, d.ok);
    },
  });
  io.on('connection', (socket) => {
    socket.data = { caller: auth.callerOf(socket.request) };
    onGuarded(socket, 'sites:snapshot', auth.callerOf, (_caller, reply) => {
      if (typeof reply === 'function') reply(opts.snapshot());
    });
  });

  // A session that ends early takes its live sockets with it, not only its next request.
  opts.auth.identity.onSessionsEnded((ended) => {
    for (const socket of io.of('/').sockets.values()) {
      const c = (socket.data as { caller?: Caller | null }).caller;
      if (!c) continue;
      const session = c.via === 'api-token' ? null : c.session;
      const hit =
        'handle' in ended
          ? session?.handle === ended.handle
          : ended.owner.kind === 'user'
            ? c.via === 'session' && c.user.id === ended.owner.userId
            : c.via === 'display' && c.token.id === ended.owner.tokenId;
      if (hit) socket.disconnect(true);
    }
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
    app,
    io,
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
