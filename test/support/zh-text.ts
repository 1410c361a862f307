import { RESPONSIBILITIES } from '../../core/incident.js';
import { TILE_STATES } from '../../core/site-state.js';
import {
  EVIDENCE_KIND_TERMS, EVIDENCE_KINDS, INCIDENT_KIND_TERMS, RESPONSIBILITY_PARTY_TERMS, RESPONSIBILITY_TERMS, RULE_NAMES, RULE_TERMS,
  TILE_STATE_SHORT_TERMS, TILE_STATE_TERMS, VERDICT_TERMS, type Term,
} from '../../core/terms.js';

/**
 * What a zh-CN page must not show, from the one terms table: every rule, evidence-kind,
 * tile-state and responsibility code, every English word of those tables, and (a heuristic)
 * any English word outside a short allow list of units, protocols and names. Ids and numbers
 * (anything with a digit: D01-R005, 70M, CIR-0001) are not words.
 */
export interface TextFinding {
  kind: 'code' | 'english-term' | 'english-word';
  match: string;
  context: string;
}

const CODES = [...new Set<string>([...RULE_NAMES, ...EVIDENCE_KINDS, ...TILE_STATES, ...RESPONSIBILITIES, 'provisional', 'final', 'outage', 'monitoring-gap'])];
const EN_TERMS = [
  ...new Set(
    [RULE_TERMS, EVIDENCE_KIND_TERMS, TILE_STATE_TERMS, TILE_STATE_SHORT_TERMS, RESPONSIBILITY_TERMS, RESPONSIBILITY_PARTY_TERMS, VERDICT_TERMS, INCIDENT_KIND_TERMS]
      .flatMap((table) => Object.values<Term>(table).map((term) => term.en))
      // An English term the Chinese shares (a protocol name) is no sign of English.
      .filter((en) => !Object.values<Term>({ ...RULE_TERMS, ...EVIDENCE_KIND_TERMS }).some((t) => t['zh-CN'] === en)),
  ),
];

/** Units, protocols, product and vendor names that zh-CN text writes in Latin letters. */
export const ALLOWED_WORDS = new Set(
  [
    'Mbit', 's', 'ms', 'kbit', 'Gbit', 'bit', 'M', 'G', 'k',
    'SNMP', 'SNMPv2c', 'SNMPv3', 'CE', 'CPE', 'OOB', 'WAN', 'LAN', 'IP', 'ID', 'UTC', 'NOC', 'MIB', 'PDF', 'XLSX', 'CSV', 'SHA', 'HTTP', 'HTTPS', 'LDAP', 'SMTP', 'NATS', 'TLS', 'URL',
    'demarc', 'ifName', 'ifDescr', 'ifAlias', 'ifIndex', 'ifLastChange', 'ifOperStatus', 'ifAdminStatus', 'sysUpTime', 'sysName', 'sysDescr', 'sysContact', 'sysLocation', 'trap', 'traps', 'Counter64', 'OID',
    'Cisco', 'Huawei', 'ZTE', 'Juniper', 'MikroTik', 'Ruijie', 'Fiberhome', 'InfluxDB', 'SQLite',
  ].map((w) => w.toLowerCase()),
);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const codeRe = new RegExp(`(?<![A-Za-z0-9:_-])(${CODES.sort((a, b) => b.length - a.length).map(escape).join('|')})(?![A-Za-z0-9_-])`, 'g');
const termRe = new RegExp(`(?<![A-Za-z])(${EN_TERMS.sort((a, b) => b.length - a.length).map(escape).join('|')})(?![A-Za-z])`, 'g');
/** Runs of characters between spaces and CJK text: one id, number or word group each. */
const CHUNK = /[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef·—–…]+/g;
const WORD = /[A-Za-z]+/g;

const around = (text: string, at: number, len: number) => text.slice(Math.max(0, at - 25), at + len + 25).replace(/\s+/g, ' ');

export function englishInZh(text: string): TextFinding[] {
  const out: TextFinding[] = [];
  for (const m of text.matchAll(codeRe)) out.push({ kind: 'code', match: m[1]!, context: around(text, m.index, m[0].length) });
  for (const m of text.matchAll(termRe)) out.push({ kind: 'english-term', match: m[1]!, context: around(text, m.index, m[0].length) });
  for (const c of text.matchAll(CHUNK)) {
    const chunk = c[0];
    if (/\d/.test(chunk)) continue; // an id, a number, a time
    for (const w of chunk.matchAll(WORD)) {
      const word = w[0];
      if (ALLOWED_WORDS.has(word.toLowerCase())) continue;
      if (word.length <= 6 && word === word.toUpperCase()) continue; // an acronym: AGG, B, SLA
      out.push({ kind: 'english-word', match: word, context: around(text, c.index + w.index, word.length) });
    }
  }
  return out;
}
