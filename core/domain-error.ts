/**
 * Why a stage refused a command, in the domain's words. Stages know nothing of HTTP; api/
 * maps each reason to a status (api/http-errors.ts httpStatus). Add reasons here as needed.
 */
export const DOMAIN_FAILURES = ['invalid', 'forbidden', 'not-found', 'conflict', 'expired'] as const;
export type DomainFailure = (typeof DOMAIN_FAILURES)[number];

/** A refused command: the reason, a message naming what was wrong, and the request field at fault. */
export class DomainError extends Error {
  constructor(
    readonly failure: DomainFailure,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
