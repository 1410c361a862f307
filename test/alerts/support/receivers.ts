import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * Loopback stand-ins for the WeCom and DingTalk group robots and a generic webhook receiver.
 * They check requests the way the real services document it (key / access_token, DingTalk's
 * timestamp+sign, body shape and size, demarc's webhook signature) and answer as those services
 * do, so a message that would be refused in production is refused here too.
 */
export interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests that failed validation or were failed on purpose, with the reason. */
  rejected: { reason: string; raw: string; headers: IncomingMessage['headers'] }[];
  /** Answer every request with this HTTP status until cleared (a receiver that is down). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

type Check = (req: IncomingMessage, q: URLSearchParams, raw: string, body: Record<string, unknown>) => { status: number; reply: unknown; error?: string };

async function startReceiver(port: number, path: string, check: Check): Promise<Receiver> {
  const received: Received[] = [];
  const rejected: Receiver['rejected'] = [];
  let failing: number | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, reply: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof reply === 'string' ? reply : JSON.stringify(reply));
      };
      if (failing !== null) {
        rejected.push({ reason: `failing on purpose with HTTP ${failing}`, raw, headers: req.headers });
        return answer(failing, { error: 'receiver down' });
      }
      if (req.method !== 'POST' || u.pathname !== path) {
        rejected.push({ reason: `unexpected ${req.method} ${u.pathname}`, raw, headers: req.headers });
        return answer(404, { error: 'not found' });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        rejected.push({ reason: 'body is not JSON', raw, headers: req.headers });
        return answer(400, { errcode: 40001, errmsg: 'invalid json' });
      }
      const r = check(req, u.searchParams, raw, body);
      if (r.error) rejected.push({ reason: r.error, raw, headers: req.headers });
      else received.push({ path: u.pathname, query: u.searchParams, headers: req.headers, raw, body });
      answer(r.status, r.reply);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    rejected,
    failWith: (s) => {
      failing = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** WeCom group robot: POST /cgi-bin/webhook/send?key=KEY, markdown.content ≤ 4096 bytes; 93000 = bad key. */
export function startWecomRobot(port: number, key: string): Promise<Receiver> {
  return startReceiver(port, '/cgi-bin/webhook/send', (_req, q, _raw, body) => {
    if (q.get('key') !== key) return { status: 200, reply: { errcode: 93000, errmsg: 'invalid webhook url' }, error: 'wrong key' };
    const md = body.markdown as { content?: unknown } | undefined;
    if (body.msgtype !== 'markdown' || typeof md?.content !== 'string') return { status: 200, reply: { errcode: 40008, errmsg: 'invalid message type' }, error: 'not a markdown message' };
    if (bytes(md.content) > 4096) return { status: 200, reply: { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' }, error: 'too long' };
    return { status: 200, reply: { errcode: 0, errmsg: 'ok' } };
  });
}

/**
 * DingTalk custom robot: POST /robot/send?access_token=T[&timestamp=ms&sign=S] where
 * S = urlencode(base64(HmacSHA256(key=secret, msg=timestamp+"\n"+secret))) and the timestamp is
 * within an hour of the server's clock; 310000 = signature or timestamp refused.
 */
export function startDingtalkRobot(port: number, token: string, secret: string, now: () => number): Promise<Receiver> {
  return startReceiver(port, '/robot/send', (_req, q, _raw, body) => {
    if (q.get('access_token') !== token) return { status: 200, reply: { errcode: 300001, errmsg: 'token is not exist' }, error: 'wrong access_token' };
    const ts = q.get('timestamp');
    const sign = q.get('sign');
    if (!ts || !sign) return { status: 200, reply: { errcode: 310000, errmsg: 'sign not match' }, error: 'unsigned request' };
    if (Math.abs(now() - Number(ts)) > 3_600_000) return { status: 200, reply: { errcode: 310000, errmsg: 'timestamp expired' }, error: 'stale timestamp' };
    const want = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    if (sign !== want) return { status: 200, reply: { errcode: 310000, errmsg: 'sign not match' }, error: `sign mismatch: ${sign} vs ${want}` };
    const md = body.markdown as { title?: unknown; text?: unknown } | undefined;
    if (body.msgtype !== 'markdown' || typeof md?.title !== 'string' || typeof md.text !== 'string') return { status: 200, reply: { errcode: 40035, errmsg: 'missing markdown' }, error: 'not markdown' };
    const at = body.at as { atMobiles?: unknown } | undefined;
    for (const m of (at?.atMobiles as string[] | undefined) ?? []) {
      if (!md.text.includes(`@${m}`)) return { status: 200, reply: { errcode: 0, errmsg: 'ok' }, error: `@${m} is not in the text, nobody would be rung` };
    }
    return { status: 200, reply: { errcode: 0, errmsg: 'ok' } };
  });
}

/** demarc's generic webhook as README documents it: X-Demarc-Signature = sha256=hex(HMAC(secret, ts + "." + body)). */
export function startWebhookReceiver(port: number, secret: string): Promise<Receiver> {
  return startReceiver(port, '/hooks/demarc', (req, _q, raw) => {
    const ts = String(req.headers['x-demarc-timestamp'] ?? '');
    const sig = String(req.headers['x-demarc-signature'] ?? '');
    const want = `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;
    const ok = sig.length === want.length && timingSafeEqual(Buffer.from(sig), Buffer.from(want));
    if (!ts || !ok) return { status: 401, reply: { error: 'bad signature' }, error: 'bad signature' };
    if (!req.headers['x-demarc-delivery']) return { status: 400, reply: { error: 'no delivery id' }, error: 'no delivery id' };
    return { status: 200, reply: { ok: true } };
  });
}
