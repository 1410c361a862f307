/**
 * Which console actions a user's roles allow, mirroring the route policies (api/routes/*.ts,
 * docs/route-access.md). Only to hide buttons a user could not use: the server decides.
 */
export const ACTION_ROLES = {
  'carrier-report': ['operator'],
  'carrier-response': ['operator'],
  'propose-correction': ['operator'],
  'decide-correction': ['approver'],
  'ack-alert': ['operator'],
  'approve-silence': ['approver'],
  'approve-window': ['approver'],
  'approve-user-change': ['admin'],
} as const satisfies Record<string, readonly string[]>;

export type ConsoleAction = keyof typeof ACTION_ROLES;

/** As api/policy.ts decides: admin passes every role check; a display session acts on nothing. */
export function mayDo(action: ConsoleAction, roles: readonly string[], via: string = 'session'): boolean {
  if (via === 'display') return false;
  return roles.includes('admin') || ACTION_ROLES[action].some((r) => roles.includes(r));
}

/** Why a user may not decide a proposal, or null when they may: nobody decides their own. */
export function decideBlocker(action: ConsoleAction, proposedBy: string, me: { id: string; roles: readonly string[]; via?: string }): 'own' | 'role' | null {
  if (!mayDo(action, me.roles, me.via)) return 'role';
  if (proposedBy === me.id) return 'own';
  return null;
}
