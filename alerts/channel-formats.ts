import type { AlertMessage } from './alert-message.js';
import { evidenceDetail, evidenceKindLabel } from '../core/terms.js';
import type { Block, RenderedMessage } from './message-text.js';

/**
 * Each channel's documented message format, from a rendered message. Pure, so the exact bytes a
 * robot receives are unit-testable; the senders only add transport (URL, signature, SMTP).
 */

/** WeCom group robot markdown: at most 4096 bytes of UTF-8 content. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/** DingTalk accepts more, but a phone shows little of it; keep pages short. */
export const DINGTALK_MARKDOWN_MAX_BYTES = 5000;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function cutToBytes(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = s;
  while (bytes(out) > max - 3) out = out.slice(0, Math.floor(out.length * 0.95));
  return `${out}…`;
}

function markdown(r: RenderedMessage, style: 'wecom' | 'dingtalk', trimLists: number): string {
  const lines: string[] = [];
  lines.push(style === 'wecom' ? `## ${r.title}` : `### ${r.title}`);
  for (const b of r.blocks) lines.push(...markdownBlock(b, style, trimLists));
  return lines.join('\n');
}

function markdownBlock(b: Block, style: 'wecom' | 'dingtalk', trimLists: number): string[] {
  switch (b.type) {
    case 'field':
      return [style === 'wecom' ? `> ${b.label}：**${b.value}**` : `- **${b.label}**：${b.value}`];
    case 'list': {
      const keep = Math.max(1, b.items.length - trimLists);
      const dropped = b.items.length - keep;
      const items = b.items.slice(-keep);
      return [`**${b.label}**`, ...(dropped ? [`- … (+${dropped})`] : []), ...items.map((i) => `- ${i}`)];
    }
    case 'text':
      return [b.text];
    case 'link':
      return [`[${b.label}](${b.url})`];
  }
}

/** Fits the content in `max` bytes by dropping the oldest list entries first, then cutting. */
function fitted(build: (trim: number) => string, max: number, tail: string): string {
  for (let trim = 0; trim < 40; trim++) {
    const body = build(trim) + tail;
    if (bytes(body) <= max) return body;
  }
  return cutToBytes(build(40), max - bytes(tail)) + tail;
}

export interface WecomBody {
  msgtype: 'markdown';
  markdown: { content: string };
}

/** WeCom markdown mentions people with <@userid>; that is the only @ its markdown supports. */
export function wecomBody(r: RenderedMessage, mentionUserIds: readonly string[]): WecomBody {
  const tail = mentionUserIds.length ? `\n${mentionUserIds.map((u) => `<@${u}>`).join(' ')}` : '';
  return { msgtype: 'markdown', markdown: { content: fitted((t) => markdown(r, 'wecom', t), WECOM_MARKDOWN_MAX_BYTES, tail) } };
}

export interface DingtalkBody {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at: { atMobiles: string[]; isAtAll: false };
}

/** DingTalk only rings the people in at.atMobiles whose @mobile also appears in the text. */
export function dingtalkBody(r: RenderedMessage, atMobiles: readonly string[]): DingtalkBody {
  const tail = atMobiles.length ? `\n\n${atMobiles.map((m) => `@${m}`).join(' ')}` : '';
  return {
    msgtype: 'markdown',
    markdown: { title: r.summary, text: fitted((t) => markdown(r, 'dingtalk', t), DINGTALK_MARKDOWN_MAX_BYTES, tail) },
    at: { atMobiles: [...atMobiles], isAtAll: false },
  };
}

/** The generic webhook: the facts for machines, the rendered words for people. */
export function webhookBody(m: AlertMessage, r: RenderedMessage, recipients: readonly { id: string; name: string }[]) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    version: 1,
    kind: m.kind,
    alert: {
      id: m.alertId,
      rule: m.rule,
      severity: m.severity,
      status: m.status,
      startedAt: iso(m.startedAt),
      endedAt: iso(m.endedAt),
      verdict: m.verdict,
      previousVerdict: m.previousVerdict,
      flaps: m.flaps,
      groupEventId: m.groupEventId,
      carrierGroup: m.carrierGroup,
      incidentIds: m.incidentIds,
      detail: m.detail,
      deadline: m.deadline && { reportedAt: iso(m.deadline.reportedAt), dueAt: iso(m.deadline.dueAt), limitHours: m.deadline.limitHours },
    },
    sites: m.sites.map((s) => ({ id: s.id, name: s.name, circuitId: s.circuitId, division: s.division, carrierGroup: s.carrierGroup, startedAt: iso(s.startedAt), endedAt: iso(s.endedAt), verdict: s.verdict })),
    evidence: m.evidence.map((e) => ({ at: iso(e.at), kind: e.kind, label: evidenceKindLabel(e.kind, r.language), detail: evidenceDetail(e, r.language), params: e.params ?? null })),
    recipients,
    ackLinks: m.ackLinks,
    sentAt: iso(m.at),
    message: { language: r.language, title: r.title, text: textBody(r) },
  };
}

export function textBody(r: RenderedMessage): string {
  const lines = [r.title, ''];
  for (const b of r.blocks) {
    if (b.type === 'field') lines.push(`${b.label}: ${b.value}`);
    else if (b.type === 'list') lines.push('', `${b.label}:`, ...b.items.map((i) => `  - ${i}`), '');
    else if (b.type === 'text') lines.push(b.text);
    else lines.push(`${b.label}: ${b.url}`);
  }
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function emailContent(r: RenderedMessage): { subject: string; text: string; html: string } {
  const parts: string[] = [`<h2 style="margin:0 0 12px">${esc(r.title)}</h2>`];
  const fields = r.blocks.filter((b): b is Extract<Block, { type: 'field' }> => b.type === 'field');
  if (fields.length) {
    parts.push('<table cellpadding="4" style="border-collapse:collapse">');
    for (const f of fields) parts.push(`<tr><th align="left" style="white-space:nowrap">${esc(f.label)}</th><td>${esc(f.value)}</td></tr>`);
    parts.push('</table>');
  }
  for (const b of r.blocks) {
    if (b.type === 'list') parts.push(`<p><b>${esc(b.label)}</b></p><ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`);
    else if (b.type === 'text') parts.push(`<p>${esc(b.text)}</p>`);
    else if (b.type === 'link') parts.push(`<p><a href="${esc(b.url)}">${esc(b.label)}</a></p>`);
  }
  const html = `<!doctype html><html lang="${r.language}"><head><meta charset="utf-8"></head><body>${parts.join('\n')}</body></html>`;
  return { subject: r.title, text: textBody(r), html };
}
