import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../core/secret.js';

/**
 * The acknowledgement link in a message: `<claim>.<mac>`, both base64url, the MAC an
 * HMAC-SHA256 over the claim under `alerts.ackSecret`. The claim names the alert, the person the
 * link was sent to (who the acknowledgement is recorded for) and when the link stops working.
 */
export interface AckClaim {
  alertId: string;
  contactId: string;
  expiresAt: number;
}

const DOMAIN = 'demarc-ack.v1.';

function mac(secret: Secret, claim: string): Buffer {
  return createHmac('sha256', secret.reveal()).update(DOMAIN + claim).digest();
}

export function signAckToken(secret: Secret, claim: AckClaim): string {
  const body = Buffer.from(JSON.stringify({ a: claim.alertId, c: claim.contactId, e: claim.expiresAt })).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export type AckTokenCheck = { ok: true; claim: AckClaim } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired'; claim?: AckClaim };

export function verifyAckToken(secret: Secret, token: string, now: number): AckTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[1], 'base64url');
  const want = mac(secret, parts[0]);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'bad-signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const r = raw as { a?: unknown; c?: unknown; e?: unknown };
  if (typeof r.a !== 'string' || typeof r.c !== 'string' || typeof r.e !== 'number') return { ok: false, reason: 'malformed' };
  const claim: AckClaim = { alertId: r.a, contactId: r.c, expiresAt: r.e };
  if (now >= claim.expiresAt) return { ok: false, reason: 'expired', claim };
  return { ok: true, claim };
}
