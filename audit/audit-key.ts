import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import { Secret } from '../core/secret.js';

export interface AuditKeyConfig {
  key: Secret | null;
  keyFile: string;
}

/** Thrown when the key cannot be had; the message names the file or setting, never the key. */
export class AuditKeyError extends Error {}

const MIN_KEY_CHARS = 32;

/**
 * The audit chain's HMAC key: `audit.key` (normally ${DEMARC_AUDIT_KEY}) when set, else the
 * key file, which is made (random, mode 0600) on first start. Either way it lives outside the
 * state db, so whoever can write the db cannot re-key the chain. `create: false` is for
 * tools that only verify: a missing key file is then an error, not a new key.
 */
export function loadAuditKey(cfg: AuditKeyConfig, opts: { logger?: Logger; create: boolean }): Secret {
  if (cfg.key) {
    if (cfg.key.reveal().length < MIN_KEY_CHARS) throw new AuditKeyError(`audit.key: must be at least ${MIN_KEY_CHARS} characters`);
    return cfg.key;
  }
  if (!existsSync(cfg.keyFile)) {
    if (!opts.create) throw new AuditKeyError(`audit key file ${cfg.keyFile} does not exist (set audit.key or audit.keyFile)`);
    mkdirSync(dirname(cfg.keyFile), { recursive: true });
    writeFileSync(cfg.keyFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    opts.logger?.warn({ keyFile: cfg.keyFile }, 'audit: generated a new audit chain key; keep a copy off this machine (or set audit.key)');
  }
  const mode = statSync(cfg.keyFile).mode & 0o077;
  if (mode !== 0) {
    // Readable by others: whoever can read it can forge the chain. Tighten it and say so.
    chmodSync(cfg.keyFile, 0o600);
    opts.logger?.warn({ keyFile: cfg.keyFile }, 'audit: the key file was readable by group or others; set to 0600');
  }
  const text = readFileSync(cfg.keyFile, 'utf8').trim();
  if (text.length < MIN_KEY_CHARS) throw new AuditKeyError(`audit key file ${cfg.keyFile}: the key must be at least ${MIN_KEY_CHARS} characters`);
  return new Secret(text);
}
