/**
 * Roles split the sensitive steps between people (security annex item 11): an operator
 * proposes a change (a verdict correction, a silence), an approver confirms it, and never
 * the same person for the same change. An auditor reads the operation log and changes nothing.
 */
export const ROLES = ['viewer', 'operator', 'approver', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  name: string;
  roles: Role[];
}
