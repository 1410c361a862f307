import { z } from 'zod';
import { Secret } from '../core/secret.js';

/** A config string that becomes a Secret right after validation, so it cannot be printed. */
export const secretString = z
  .string()
  .min(1, 'must not be empty')
  .transform((s) => new Secret(s));
