import argon2 from 'argon2';
import type { Secret } from '../core/secret.js';

/**
 * argon2id with the library's defaults (64 MiB, t=3, p=4): OWASP's recommended floor. The
 * parameters are in the encoded hash, so raising them later still verifies old hashes.
 */
export async function hashPassword(password: Secret): Promise<string> {
  return argon2.hash(password.reveal(), { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: Secret): Promise<boolean> {
  try {
    return await argon2.verify(hash, password.reveal());
  } catch {
    // A damaged hash in the database is a failed login, not a crash.
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
const COMMON = ['password', '12345678', 'qwerty', 'demarc', 'admin', 'letmein', 'welcome', '11111111'];

/**
 * The password policy (README "Security"): 12 to 256 characters, not containing the user id,
 * not built around a well-known password, at least 5 different characters. Length beats
 * composition rules (NIST SP 800-63B), so there is no "one digit, one symbol" rule.
 */
export function passwordProblem(userId: string, password: Secret): string | null {
  const p = password.reveal();
  if (p.length < PASSWORD_MIN_LENGTH) return `password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  if (p.length > PASSWORD_MAX_LENGTH) return `password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = p.toLowerCase();
  if (userId.length >= 3 && lower.includes(userId.toLowerCase())) return 'password must not contain the user id';
  if (COMMON.some((c) => lower.includes(c))) return 'password must not contain a well-known password';
  if (new Set(p).size < 5) return 'password must use at least 5 different characters';
  return null;
}
