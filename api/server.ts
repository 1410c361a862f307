import cookieParser from 'cookie-parser';
import express, { type Application, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server } from 'socket.io';
import type { Logger } from '../core/logger.js';
import type { SiteStateDto } from '../core/events.js';
import { errorHandler, HttpError, type ErrorMapper } from './http-errors.js';
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
  /** The HTTP → HTTPS redirect listener, when one is configured. */
  redirectUrl: string | null;
  live: LiveUpdates;
  /** Re-reads the certificate and key (SIGHUP); connections already open keep the old ones. */
  reloadTls(): void;
  /** The express app and socket.io server, for enumerating routes and events (policy tests). */
  app: Application;
  io: LiveServer;
  close(): Promise<void>;
}

/** PEM files of the server certificate (chain) and its private key. */
export interface TlsFiles {
  cert: string;
  key: string;
  /** A plain-HTTP listener on this port that answers every request with a redirect to HTTPS. */
  redirectPort?: number | null;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  /** Routers mounted under /api, in order. */
  routers: Router[];
  /** Run on every /api request before the body parser and the routers (the rate limit, the audit trail). */
  middleware?: RequestHandler[];
  /** Built web UI (dist/web); served with an SPA fallback so /wall reloads work. */
  webRoot: string | null;
  snapshot: () => SiteStateDto[];
  logger: Logger;
  /** Turns errors no route handled into a named HTTP answer (storage failures), instead of a bare 500. */
  mapError?: ErrorMapper;
  tls?: TlsFiles | null;
  /** Who is calling: every route and socket event checks it against its policy. */
  auth: { identity: IdentityService; config: AuthConfig; clock: Clock; secure?: boolean };
}

/** How long a request in flight may take to finish once the server is closing. */
const CLOSE_GRACE_MS = 2000;
/** JSON bodies are small commands; anything bigger is refused with 413. */
export const BODY_LIMIT = '256kb';

/**
 * Security headers (issue 11 item 8): a CSP that allows only demarc's own scripts, no framing
 * at all (the ack confirm page must not be clickjacked), no referrer (ack links carry a
 * token), HSTS only when demarc itself serves HTTPS.
 */
function securityHeaders(tls: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'connect-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        // Vue and Chart.js set element styles; scripts stay strictly 'self'.
        'style-src': ["'self'", "'unsafe-inline'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': tls ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}

function readTls(tls: TlsFiles): { cert: Buffer; key: Buffer } {
  try {
    return { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
  } catch (e) {
    throw new Error(`api.tls: cannot read the certificate or key (${(e as Error).message})`);
  }
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const tls = opts.tls ?? null;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(tls !== null));
  for (const m of opts.middleware ?? []) app.use('/api', m);
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(cookieParser());
  // The session cookie is Secure whenever demarc serves HTTPS itself (or is told a proxy does).
  const secure = opts.auth.secure ?? tls !== null;
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
  app.use(errorHandler(opts.logger, opts.mapError));

  const http: HttpServer | HttpsServer = tls ? createHttpsServer(readTls(tls), app) : createServer(app);
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

  await listen(http, opts.port, opts.host);
  const url = baseUrl(http, tls ? 'https' : 'http');
  const redirect = tls?.redirectPort != null ? await startRedirect(opts.host, tls.redirectPort, new URL(url).port) : null;
  return {
    url,
    redirectUrl: redirect ? baseUrl(redirect, 'http') : null,
    live: new LiveUpdates(io),
    reloadTls: () => {
      if (!tls) return;
      // Read both before swapping: a half-written renewal must not take the listener down.
      (http as HttpsServer).setSecureContext(readTls(tls));
      opts.logger.info({ cert: tls.cert }, 'TLS certificate reloaded');
    },
    app,
    io,
    close: async () => {
      // io.close() disconnects the sockets and closes the HTTP server, which then waits for
      // every open connection. A request still in flight gets a moment to finish; one held
      // open (a browser's reconnect on a keep-alive connection, a stuck client) must not keep
      // demarc from stopping, so after the grace period the connections are cut.
      const cut = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        redirect?.closeAllConnections();
        redirect?.close();
        await io.close();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}

function listen(server: HttpServer | HttpsServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function baseUrl(server: HttpServer | HttpsServer, scheme: 'http' | 'https'): string {
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `${scheme}://${host}:${addr.port}`;
}

/** Plain HTTP that only says where the HTTPS listener is: 308 keeps the method and body. */
async function startRedirect(host: string, port: number, httpsPort: string): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const hostname = (req.headers.host ?? host).replace(/:\d+$/, '');
    res.writeHead(308, { location: `https://${hostname}:${httpsPort}${req.url ?? '/'}`, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'demarc answers on HTTPS only', location: `https://${hostname}:${httpsPort}${req.url ?? '/'}` }));
  });
  await listen(server, port, host);
  return server;
}
