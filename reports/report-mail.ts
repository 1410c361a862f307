import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { ReportsConfig } from './config-schema.js';

/**
 * Sends the monthly report by email over SMTP with TLS (STARTTLS required, or implicit TLS):
 * the security annex asks for encrypted transfer, so a server that cannot do TLS gets nothing.
 * The server certificate is verified; a private relay's CA is configured, never switched off.
 */

export interface OutgoingReport {
  subject: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

export interface SentReport {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface ReportMailer {
  readonly recipients: readonly string[];
  send(m: OutgoingReport): Promise<SentReport>;
  close(): void;
}

type SmtpConfig = NonNullable<ReportsConfig['email']['smtp']>;

export function smtpTransportOptions(smtp: SmtpConfig, baseDir: string) {
  const ca = smtp.caFile ? readFileSync(isAbsolute(smtp.caFile) ? smtp.caFile : resolve(baseDir, smtp.caFile)) : undefined;
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password?.reveal() ?? '' } } : {}),
    tls: {
      minVersion: 'TLSv1.2' as const,
      rejectUnauthorized: true,
      ...(ca ? { ca } : {}),
      ...(smtp.servername ? { servername: smtp.servername } : {}),
    },
    connectionTimeout: smtp.timeoutMs,
    greetingTimeout: smtp.timeoutMs,
    socketTimeout: smtp.timeoutMs,
  };
}

/** Null when email is off. */
export function createReportMailer(email: ReportsConfig['email'], baseDir: string): ReportMailer | null {
  if (!email.enabled || !email.smtp) return null;
  const transport = nodemailer.createTransport(smtpTransportOptions(email.smtp, baseDir));
  return {
    recipients: email.recipients,
    async send(m) {
      const info = await transport.sendMail({ from: email.from, to: email.recipients, subject: m.subject, text: m.text, attachments: m.attachments });
      const addr = (a: unknown) => (typeof a === 'string' ? a : ((a as { address?: string }).address ?? String(a)));
      return { messageId: info.messageId, accepted: (info.accepted ?? []).map(addr), rejected: (info.rejected ?? []).map(addr) };
    },
    close: () => transport.close(),
  };
}
