import { createHmac } from 'node:crypto';
import type { Responsibility } from '../core/incident.js';
import { RESPONSIBILITY_PARTY_TERMS } from '../core/terms.js';
import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AlertMessage } from './alert-message.js';
import { dingtalkBody, emailContent, webhookBody, wecomBody } from './channel-formats.js';
import type { AlertsConfig, ChannelConfig, ContactConfig, Language } from './config-schema.js';
import { renderMessage } from './message-text.js';

/** One attempt to hand a message to a channel; throws with the receiver's own words on failure. */
/** Evidence lines in the log channel's line; the rest is in demarc. */
const LOG_EVIDENCE = 5;

export interface ChannelSender {
  send(delivery: { id: string; channelId: string; contactIds: string[]; message: AlertMessage }): Promise<void>;
  close(): Promise<void>;
}

export class DeliveryError extends Error {}

/** The webhook signature: hex HMAC-SHA256 over `<timestamp>.<body>` (see README). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** DingTalk's signed request: base64 HMAC-SHA256 of `timestamp\nsecret` keyed by the secret. */
export function dingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export function createChannelSender(cfg: AlertsConfig, deps: { clock: Clock; logger: Logger }): ChannelSender {
  const channels = new Map<string, ChannelConfig>(cfg.channels.map((c) => [c.id, c]));
  if (!channels.has('log')) channels.set('log', { id: 'log', type: 'log' });
  const contacts = new Map<string, ContactConfig>(cfg.contacts.map((c) => [c.id, c]));
  const names = new Map(cfg.contacts.map((c) => [c.id, c.name]));
  const mailers = new Map<string, Transporter>();
  const timeoutMs = cfg.delivery.timeoutSec * 1000;

  const mailer = (c: Extract<ChannelConfig, { type: 'email' }>): Transporter => {
    let t = mailers.get(c.id);
    if (!t) {
      t = nodemailer.createTransport({
        host: c.host,
        port: c.port,
        secure: c.security === 'tls',
        requireTLS: c.security === 'starttls',
        auth: c.user ? { user: c.user, pass: c.password?.reveal() ?? '' } : undefined,
        tls: c.caFile ? { ca: readFileSync(c.caFile, 'utf8') } : {},
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      mailers.set(c.id, t);
    }
    return t;
  };

  const post = async (url: string, body: string, headers: Record<string, string> = {}): Promise<string> => {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw new DeliveryError(`cannot reach ${new URL(url).host}: ${(e as Error).cause ? String((e as { cause: unknown }).cause) : (e as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new DeliveryError(`HTTP ${res.status} from ${new URL(url).host}: ${text.slice(0, 200)}`);
    return text;
  };

  // Both robots answer 200 with {"errcode":0,"errmsg":"ok"}; anything else (45009 = rate limit) is a failure to retry.
  const robotReply = (text: string, who: string): void => {
    let r: { errcode?: unknown; errmsg?: unknown };
    try {
      r = JSON.parse(text) as typeof r;
    } catch {
      throw new DeliveryError(`${who} answered with something that is not JSON: ${text.slice(0, 200)}`);
    }
    if (r.errcode !== 0) throw new DeliveryError(`${who} refused the message: errcode ${String(r.errcode)} ${String(r.errmsg ?? '')}`);
  };

  return {
    async send({ id, channelId, contactIds, message }) {
      const ch = channels.get(channelId);
      if (!ch) throw new DeliveryError(`channel "${channelId}" is no longer configured`);
      const people = contactIds.map((c) => contacts.get(c)).filter((c): c is ContactConfig => c !== undefined);
      const lang: Language = ch.language ?? (people.length === 1 ? people[0]!.language : undefined) ?? cfg.language;
      const rendered = renderMessage(message, lang, names);
      switch (ch.type) {
        case 'log':
          // One line a newcomer can follow: who is responsible, what was seen, where to acknowledge.
          deps.logger.warn(
            {
              alertId: message.alertId, rule: message.rule, kind: message.kind, recipients: contactIds,
              responsibility: message.verdict ? RESPONSIBILITY_PARTY_TERMS[message.verdict.responsibility as Responsibility][lang] : null,
              evidence: rendered.blocks.flatMap((b) => (b.type === 'list' && b.items.length ? b.items.slice(0, LOG_EVIDENCE) : [])),
              ack: message.ackLinks.map((l) => l.url),
            },
            rendered.title,
          );
          return;
        case 'webhook': {
          const body = JSON.stringify(webhookBody(message, rendered, people.map((p) => ({ id: p.id, name: p.name }))));
          const ts = String(deps.clock.now());
          await post(ch.url, body, {
            'x-demarc-timestamp': ts,
            'x-demarc-signature': `sha256=${webhookSignature(ch.secret.reveal(), ts, body)}`,
            // Receivers drop a retried delivery they already have by this id.
            'x-demarc-delivery': id,
          });
          return;
        }
        case 'wecom': {
          const url = new URL(ch.url);
          url.searchParams.set('key', ch.key.reveal());
          const mentions = people.map((p) => p.wecomUserId).filter((u): u is string => !!u);
          robotReply(await post(url.toString(), JSON.stringify(wecomBody(rendered, mentions))), 'WeCom');
          return;
        }
        case 'dingtalk': {
          const url = new URL(ch.url);
          url.searchParams.set('access_token', ch.accessToken.reveal());
          if (ch.signSecret) {
            const ts = String(deps.clock.now());
            url.searchParams.set('timestamp', ts);
            url.searchParams.set('sign', dingtalkSign(ch.signSecret.reveal(), ts));
          }
          const mobiles = people.map((p) => p.phone).filter((m): m is string => !!m);
          robotReply(await post(url.toString(), JSON.stringify(dingtalkBody(rendered, mobiles))), 'DingTalk');
          return;
        }
        case 'email': {
          const to = people.map((p) => p.email).filter((e): e is string => !!e);
          if (!to.length) throw new DeliveryError(`no email address for ${contactIds.join(', ') || 'anyone'}`);
          const content = emailContent(rendered);
          try {
            await mailer(ch).sendMail({ from: ch.from, to, subject: content.subject, text: content.text, html: content.html, headers: { 'X-Demarc-Delivery': id } });
          } catch (e) {
            throw new DeliveryError(`SMTP ${ch.host}:${ch.port}: ${(e as Error).message}`);
          }
          return;
        }
      }
    },
    async close() {
      for (const t of mailers.values()) t.close();
      mailers.clear();
    },
  };
}
