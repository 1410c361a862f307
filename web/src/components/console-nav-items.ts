/**
 * The console's navigation: one entry per page, in order. Each part of the console adds its
 * own line; `label` is a vue-i18n key, `roles` (if any) the roles that see the entry (admin
 * always does), mirroring the route policies: the server still decides.
 */
export interface ConsoleNavItem {
  to: string;
  label: string;
  testId: string;
  roles?: readonly string[];
}

export const CONSOLE_NAV_ITEMS: ConsoleNavItem[] = [
  { to: '/wall', label: 'app.nav.wall', testId: 'nav-wall' },
  { to: '/incidents', label: 'ci.nav.incidents', testId: 'nav-incidents' },
  { to: '/approvals', label: 'ci.nav.approvals', testId: 'nav-approvals', roles: ['approver', 'operator'] },
  { to: '/inventory', label: 'inventory.nav.devices', testId: 'nav-inventory' },
  { to: '/inventory/circuits', label: 'inventory.nav.register', testId: 'nav-register' },
  { to: '/inventory/edits', label: 'inventory.nav.edits', testId: 'nav-inventory-edits', roles: ['operator', 'approver'] },
  { to: '/maintenance', label: 'ops.nav.maintenance', testId: 'nav-maintenance' },
  { to: '/silences', label: 'ops.nav.silences', testId: 'nav-silences' },
  { to: '/alerts', label: 'ops.nav.alerts', testId: 'nav-alerts' },
  { to: '/reports', label: 'ops.nav.reports', testId: 'nav-reports' },
  { to: '/health', label: 'ops.nav.health', testId: 'nav-health' },
];

/** The entries a user with these roles sees. */
export function visibleNavItems(items: readonly ConsoleNavItem[], roles: readonly string[]): ConsoleNavItem[] {
  return items.filter((i) => !i.roles || roles.includes('admin') || i.roles.some((r) => roles.includes(r)));
}
